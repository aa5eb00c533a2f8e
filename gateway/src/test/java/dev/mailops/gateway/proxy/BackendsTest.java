package dev.mailops.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

/** Which service answers a path: the routes of {@link Backends}, on the interface's own matching. */
class BackendsTest {

    static final URI MAILBOX = URI.create("http://mailbox:8081");
    static final URI BILLING = URI.create("http://billing:8082");
    static final URI DNS = URI.create("http://dns:8083");

    final Backends backends = new Backends() {
        @Override
        public URI mailbox() {
            return MAILBOX;
        }

        @Override
        public URI billing() {
            return BILLING;
        }

        @Override
        public URI dns() {
            return DNS;
        }
    };

    @Test
    void aDomainsDkimKeysAndTheirRotationGoToMailboxService() {
        assertThat(backends.route("/api/v1/domains/shop.example/dkim")).contains(MAILBOX);
        assertThat(backends.route("/api/v1/domains/shop.example/dkim/rotate")).contains(MAILBOX);
    }

    @Test
    void aPendingDomainsCheckGoesToMailboxService() {
        assertThat(backends.route("/api/v1/domains/shop.example/verify")).contains(MAILBOX);
        assertThat(backends.route("/api/v1/domains/shop.example/verify/now")).isEmpty();
        assertThat(backends.route("/api/v1/domains/shop.example/verifyx")).isEmpty();
    }

    @Test
    void theDomainsDnsPathsStillGoToDnsService() {
        for (String path : new String[] { "records", "records/r-1", "zone", "check", "client-settings" }) {
            assertThat(backends.route("/api/v1/domains/shop.example/" + path)).as(path).contains(DNS);
        }
        assertThat(backends.route("/api/v1/domains/shop.example")).contains(MAILBOX);
        assertThat(backends.route("/api/v1/domains")).contains(MAILBOX);
    }

    @Test
    void nothingElseUnderDkimIsRouted() {
        assertThat(backends.route("/api/v1/domains/shop.example/dkim/")).isEmpty();
        assertThat(backends.route("/api/v1/domains/shop.example/dkim/rotate/now")).isEmpty();
        assertThat(backends.route("/api/v1/domains/shop.example/dkim/mbo0001")).isEmpty();
        assertThat(backends.route("/api/v1/domains/shop.example/dkimx")).isEmpty();
        assertThat(backends.route("/api/v1/domains/dkim/rotate/x")).isEmpty();
    }

    @Test
    void theMigrationsImportsAndTheExportGoToMailboxService() {
        assertThat(backends.route("/api/v1/imports")).contains(MAILBOX);
        assertThat(backends.route("/api/v1/imports/6f1c7e0a-6d7b-4c39-9a55-1b0a3c9e8d11")).contains(MAILBOX);
        assertThat(backends.route("/api/v1/exports/mailboxes.csv")).contains(MAILBOX);
        assertThat(backends.route("/api/v1/imports/x/lines")).isEmpty();
        assertThat(backends.route("/api/v1/exports/mailboxesXcsv")).isEmpty();
        assertThat(backends.route("/api/v1/exports/contract.csv")).isEmpty();
    }

    @Test
    void theOtherServicesKeepTheirRoutes() {
        assertThat(backends.route("/api/v1/mailboxes/m-1/aliases")).contains(MAILBOX);
        assertThat(backends.route("/api/v1/contract/statements/2026-11")).contains(BILLING);
        assertThat(backends.route("/autodiscover/autodiscover.xml")).contains(DNS);
        assertThat(backends.route("/api/v1/operations/replay")).isEmpty();
    }
}
