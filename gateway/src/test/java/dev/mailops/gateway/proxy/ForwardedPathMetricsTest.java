package dev.mailops.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The uri tag of forwarded requests: the API's fixed words stay, every name and id becomes {}. */
class ForwardedPathMetricsTest {

    final ForwardedPathMetrics metrics = new ForwardedPathMetrics(new BackendsTest().backends);

    @Test
    void namesAndIdsOfForwardedPathsAreTemplated() {
        assertThat(metrics.template("/api/v1/domains/shop.example")).isEqualTo("/api/v1/domains/{}");
        assertThat(metrics.template("/api/v1/domains/shop.example/dkim/rotate")).isEqualTo("/api/v1/domains/{}/dkim/rotate");
        assertThat(metrics.template("/api/v1/domains/shop.example/records/42")).isEqualTo("/api/v1/domains/{}/records/{}");
        assertThat(metrics.template("/api/v1/mailboxes/6f1c2a9e-0b7d-4c55-9a57-3f1e8d2c4b10/aliases/info@shop.example"))
                .isEqualTo("/api/v1/mailboxes/{}/aliases/{}");
        assertThat(metrics.template("/api/v1/addresses/anna@shop.example")).isEqualTo("/api/v1/addresses/{}");
        assertThat(metrics.template("/api/v1/contract/statements/2026-11")).isEqualTo("/api/v1/contract/statements/{}");
    }

    @Test
    void pathsWithoutNamesStayAsTheyAre() {
        assertThat(metrics.template("/api/v1/basic-fee")).isEqualTo("/api/v1/basic-fee");
        assertThat(metrics.template("/api/v1/mailboxes")).isEqualTo("/api/v1/mailboxes");
        assertThat(metrics.template("/api/v1/exports/mailboxes.csv")).isEqualTo("/api/v1/exports/mailboxes.csv");
        assertThat(metrics.template("/.well-known/autoconfig/mail/config-v1.1.xml"))
                .isEqualTo("/.well-known/autoconfig/mail/config-v1.1.xml");
    }

    @Test
    void theGatewaysOwnTemplatesAndQuarkusNamesAreLeftAlone() {
        assertThat(metrics.template("/api/v1/users/{username}/enabled")).isEqualTo("/api/v1/users/{username}/enabled");
        assertThat(metrics.template("NOT_FOUND")).isEqualTo("NOT_FOUND");
        assertThat(metrics.template(null)).isNull();
    }
}
