package dev.mailops.gateway;

import static dev.mailops.gateway.GatewayIT.PASSWORD;
import static dev.mailops.gateway.GatewayIT.bearer;
import static dev.mailops.gateway.GatewayIT.login;
import static dev.mailops.gateway.GatewayIT.mailbox;
import static dev.mailops.testinfra.MailClient.Access.IMAPS;
import static dev.mailops.testinfra.MailClient.Access.IMAP_STARTTLS;
import static dev.mailops.testinfra.MailClient.Access.POP3S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;


import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.testinfra.MailClient;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * Every mailbox is a real one: commands go to the gateway's API only, and what they did is seen only
 * as a mail client sees it, over IMAP, POP3 and SMTP against the real Dovecot and Postfix that
 * mailhost-service keeps ({@link RunningServices}). Each test has a tenant and a domain of its own.
 * The mail host is not optional here: when it cannot start, these tests fail.
 */
@QuarkusTest
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "gateway_test"))
@QuarkusTestResource(RunningServices.class)
class MailHostEndToEndIT {

    /** How long a command may take to reach the mail host: "within a few seconds", with room for a slow CI. */
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String NEW_PASSWORD = "Another-Horse-77";
    static final String OUTSIDER = "someone@elsewhere.example";
    static final long GIB_IN_KIB = 1024 * 1024;


    MailClient client;
    String tenant;
    String token;
    String domain;

    @BeforeEach
    void tenantOfItsOwn() {
        client = RunningServices.mailHost.client();
        tenant = "mh-" + UUID.randomUUID().toString().substring(0, 8);
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        token = login(tenant + "-admin", PASSWORD);
        domain = tenant + ".example";
        bearer(token).put("/api/v1/domains/" + domain).then().statusCode(201);
    }

    @Test
    void aCreatedMailboxLogsInOverEveryProtocolAndSubmitsMail() throws Exception {
        String anna = address("anna");
        create("anna", Map.of());

        soon().until(() -> client.canLogIn(IMAPS, anna, PASSWORD));
        assertThat(client.canLogIn(IMAPS, anna, "Wrong-Horse-9")).isFalse();
        assertThat(client.canLogIn(IMAP_STARTTLS, anna, PASSWORD)).isTrue();
        assertThat(client.canLogIn(POP3S, anna, PASSWORD)).isTrue();

        assertThat(client.submit(anna, PASSWORD, anna, anna, "submitted").accepted()).isTrue();
        MailClient.Outcome withoutAuth = client.submit(null, null, anna, anna, "without auth");
        assertThat(withoutAuth.code()).as(withoutAuth.response()).isBetween(500, 599);
        MailClient.Outcome unknown = client.sendIn(OUTSIDER, address("nobody"), "to nobody");
        assertThat(unknown.code()).as(unknown.response()).isEqualTo(550);

        soon().untilAsserted(() -> assertThat(client.inbox(anna, PASSWORD)).containsExactly("submitted"));
    }

    @Test
    void mailToAnAliasOrAForwardingArrivesWhereTheMailboxesSay() throws Exception {
        String bob = address("bob");
        String carl = address("carl");
        String dora = address("dora");
        String id = create("bob", Map.of());
        bearer(token).body(Map.of("localPart", "sales", "domain", domain)).post("/api/v1/mailboxes/" + id + "/aliases")
                .then().statusCode(201);
        create("carl", Map.of("forwardTo", List.of(bob), "keepCopy", false));
        create("dora", Map.of("forwardTo", List.of(bob), "keepCopy", true));
        for (String user : List.of(bob, carl, dora)) {
            soon().until(() -> client.canLogIn(IMAPS, user, PASSWORD));
        }

        // the alias may reach the mail host after the mailbox: until then it is refused, and nothing is delivered
        soon().until(() -> client.sendIn(OUTSIDER, address("sales"), "to the alias").accepted());
        assertThat(client.sendIn(OUTSIDER, carl, "to carl").accepted()).isTrue();
        assertThat(client.sendIn(OUTSIDER, dora, "to dora").accepted()).isTrue();

        soon().untilAsserted(() -> assertThat(client.inbox(bob, PASSWORD))
                .containsExactlyInAnyOrder("to the alias", "to carl", "to dora"));
        soon().untilAsserted(() -> assertThat(client.inbox(dora, PASSWORD)).containsExactly("to dora"));
        assertThat(client.inbox(carl, PASSWORD)).as("forwarded without a kept copy").isEmpty();
    }

    @Test
    void aChangedPasswordAndAChangedRateTakeEffectOnTheMailHost() throws Exception {
        String erik = address("erik");
        String id = create("erik", Map.of("rate", "MAIL_LIGHT"));
        soon().until(() -> client.canLogIn(IMAPS, erik, PASSWORD));
        assertThat(client.storageLimitKiB(erik, PASSWORD)).isEqualTo(2 * GIB_IN_KIB);

        bearer(token).body(Map.of("password", NEW_PASSWORD, "passwordConfirmation", NEW_PASSWORD))
                .put("/api/v1/mailboxes/" + id + "/password").then().statusCode(204);
        soon().until(() -> client.canLogIn(IMAPS, erik, NEW_PASSWORD));
        assertThat(client.canLogIn(IMAPS, erik, PASSWORD)).as("the old password").isFalse();
        assertThat(client.canLogIn(POP3S, erik, PASSWORD)).as("the old password over POP3S").isFalse();
        assertThat(client.canLogIn(POP3S, erik, NEW_PASSWORD)).isTrue();

        bearer(token).body(Map.of("rate", "MAIL_PREMIUM")).put("/api/v1/mailboxes/" + id + "/rate").then()
                .statusCode(200).body("rate", equalTo("MAIL_PREMIUM"));
        soon().untilAsserted(() -> assertThat(client.storageLimitKiB(erik, NEW_PASSWORD)).isEqualTo(25 * GIB_IN_KIB));
    }

    @Test
    void aDeletedMailboxIsRefusedEverywhereAndItsAddressComesBackEmpty() throws Exception {
        String fiona = address("fiona");
        String alias = address("fi");
        String id = create("fiona", Map.of());
        bearer(token).body(Map.of("localPart", "fi", "domain", domain)).post("/api/v1/mailboxes/" + id + "/aliases")
                .then().statusCode(201);
        soon().until(() -> client.canLogIn(IMAPS, fiona, PASSWORD));
        soon().until(() -> client.sendIn(OUTSIDER, alias, "before the deletion").accepted());
        soon().untilAsserted(() -> assertThat(client.inbox(fiona, PASSWORD)).containsExactly("before the deletion"));

        bearer(token).delete("/api/v1/mailboxes/" + id).then().statusCode(204);
        soon().until(() -> !client.canLogIn(IMAPS, fiona, PASSWORD));
        assertThat(client.canLogIn(IMAP_STARTTLS, fiona, PASSWORD)).isFalse();
        assertThat(client.canLogIn(POP3S, fiona, PASSWORD)).isFalse();
        soon().untilAsserted(() -> {
            assertThat(client.sendIn(OUTSIDER, fiona, "after the deletion").code()).isEqualTo(550);
            assertThat(client.sendIn(OUTSIDER, alias, "after the deletion").code()).isEqualTo(550);
        });

        // the test's quarantine is 4 s (RunningServices); then the address may be created again
        soon().untilAsserted(() -> bearer(token).get("/api/v1/addresses/" + fiona).then()
                .body("status", equalTo("AVAILABLE")));
        create("fiona", Map.of("password", NEW_PASSWORD, "passwordConfirmation", NEW_PASSWORD));
        soon().until(() -> client.canLogIn(IMAPS, fiona, NEW_PASSWORD));
        assertThat(client.inbox(fiona, NEW_PASSWORD)).as("the re-created mailbox's INBOX").isEmpty();
        assertThat(client.canLogIn(IMAPS, fiona, PASSWORD)).as("the deleted mailbox's password").isFalse();
    }

    /** Creates a mailbox through the gateway (201); {@code overrides} replace fields of the usual body. */
    private String create(String localPart, Map<String, Object> overrides) {
        Map<String, Object> body = mailbox(localPart, domain, tenant + "-admin");
        body.putAll(overrides);
        return bearer(token).body(body).post("/api/v1/mailboxes").then().statusCode(201).extract().path("id");
    }

    private String address(String localPart) {
        return localPart + "@" + domain;
    }

    private static ConditionFactory soon() {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200));
    }
}
