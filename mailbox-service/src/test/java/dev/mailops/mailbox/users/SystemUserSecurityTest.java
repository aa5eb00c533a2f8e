package dev.mailops.mailbox.users;

import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.mailbox;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.Api;
import dev.mailops.mailbox.domain.SystemUsers.Standing;
import dev.mailops.testinfra.TopicProbe;

/**
 * The doors around a mailbox's system user: it must be an enabled user of the mailbox's own tenant, as
 * the gateway's user directory announced it on gateway.users. A user of another tenant, a made-up one
 * and a disabled one are refused (400 naming {@code systemUserId}, nothing written), and an event that
 * would slip a user into a tenant other than its record's is dead-lettered, not applied.
 */
@QuarkusTest
class SystemUserSecurityTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KnownUsers knownUsers;
    @Inject
    Database database;

    @Test
    void aUserOfAnotherTenantIsRefused() {
        String owner = newTenant();
        Api.knownUser(owner, "anna-" + owner);
        String other = newTenant();
        String domain = newDomain();
        registerDomain(other, domain);
        refused(other, domain, "anna-" + owner,
                "anna-" + owner + " is not a user of your tenant: select one of GET /api/v1/users");
    }

    @Test
    void aMadeUpUserIsRefused() {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        refused(tenant, domain, "made-up", "made-up is not a user of your tenant: select one of GET /api/v1/users");
    }

    @Test
    void aDisabledUserGetsNoNewMailbox() {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        try (GatewayUsersTopic topic = new GatewayUsersTopic()) {
            topic.created(tenant, "leaver");
            topic.disabled(tenant, "leaver");
        }
        await().atMost(WAIT).until(() -> standing(tenant, "leaver") == Standing.DISABLED);
        refused(tenant, domain, "leaver", "leaver is disabled: select an enabled user of your tenant");
    }

    @Test
    void anEventNamingAnotherTenantThanItsRecordIsDeadLetteredAndKnownNowhere() {
        String victim = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String attacker = "t-" + UUID.randomUUID().toString().substring(0, 8);
        try (TopicProbe deadLetters = TopicProbe.open(GatewayUsersTopic.DEAD_LETTERS);
                GatewayUsersTopic topic = new GatewayUsersTopic()) {
            // keyed and headed as the attacker's tenant, the data claims the victim's
            topic.send(new GatewayUsersTopic.Sent(UUID.randomUUID(), "UserCreated", attacker, attacker, "mallory", """
                    {"tenantId":"%s","userId":"mallory","username":"mallory","displayName":"M","roles":["admin"],\
                    "createdAt":"2026-11-27T08:30:00Z"}""".formatted(victim)));
            topic.created(attacker, "marker");
            assertThat(deadLetters.await(TopicProbe.keyed(attacker), 1, WAIT).get(0).value()).contains(victim);
        }
        await().atMost(WAIT).until(() -> standing(attacker, "marker") == Standing.ENABLED);
        assertThat(standing(victim, "mallory")).isEqualTo(Standing.UNKNOWN);
        assertThat(standing(attacker, "mallory")).isEqualTo(Standing.UNKNOWN);
    }

    private void refused(String tenant, String domain, String systemUserId, String message) {
        Map<String, Object> body = mailbox("anna", domain, "MAIL_STANDARD");
        body.put("systemUserId", systemUserId);
        admin(tenant).body(body).post("/api/v1/mailboxes").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains("systemUserId"))
                .body("errors[0].message", equalTo(message));
        assertThat(database.count(
                "select count(*) from event_store where tenant_id = ? and event_type = 'MailboxCreated'", tenant)).isZero();
    }

    /** What the create command would read now, in a transaction of its own as a command has. */
    private Standing standing(String tenant, String user) {
        return QuarkusTransaction.requiringNew().call(() -> knownUsers.standing(tenant, user));
    }
}
