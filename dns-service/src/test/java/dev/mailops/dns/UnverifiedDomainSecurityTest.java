package dev.mailops.dns;

import static dev.mailops.dns.DnsFixture.WAIT;
import static dev.mailops.dns.DnsFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.dns.server.AuthoritativeServer;
import dev.mailops.dns.server.ZoneCache;
import dev.mailops.testinfra.MailboxEventsFixture;

/**
 * A domain whose DomainAdded carries a verification token is not served by the DNS server until its
 * DomainVerified arrives (the DNS server answers REFUSED, as for a name it is not authoritative for),
 * and a replay of the events ends where the live consumption ended.
 */
@QuarkusTest
class UnverifiedDomainSecurityTest {

    static MailboxEventsFixture events;

    @Inject
    AuthoritativeServer server;
    @Inject
    ZoneCache cache;

    @BeforeAll
    static void producer() {
        events = MailboxEventsFixture.forConsumedTopic();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    @Test
    void anUnverifiedDomainIsNotAnsweredByTheDnsServer() throws Exception {
        String tenant = newTenant();
        String domain = pending(tenant);
        cache.refresh();
        assertRefused(domain);
    }

    @Test
    void itIsServedOnceItsDomainVerifiedArrives() throws Exception {
        String tenant = newTenant();
        String domain = pending(tenant);
        verified(tenant, domain);
        await().atMost(WAIT).untilAsserted(() -> assertServed(domain));
    }

    @Test
    void aReplayEndsWhereTheLiveConsumptionEnded() throws Exception {
        String tenant = newTenant();
        String stillPending = pending(tenant);
        String proven = pending(tenant);
        verified(tenant, proven);
        await().atMost(WAIT).untilAsserted(() -> assertServed(proven));

        as("ops", "operator").post("/api/v1/operations/replay").then().statusCode(200);
        cache.refresh();
        assertRefused(stillPending);
        assertServed(proven);
    }

    /** Publishes a DomainAdded with a verification token and waits until the zone exists (unserved). */
    private static String pending(String tenant) {
        String domain = "pending-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        events.send(tenant, "DomainAdded", domain, Instant.now(), "{\"domain\":\"" + domain
                + "\",\"verificationToken\":\"q3Jb0m9mX1N4cHZpV2t0cE9xYlNlR2h6YjFkZA\"}");
        await().atMost(WAIT).untilAsserted(() -> as(tenant, "user").get("/api/v1/domains/" + domain + "/records")
                .then().statusCode(200));
        return domain;
    }

    private static void verified(String tenant, String domain) {
        events.send(tenant, "DomainVerified", domain, Instant.now(),
                "{\"domain\":\"" + domain + "\",\"method\":\"dns-txt\"}");
    }

    private void assertRefused(String domain) throws Exception {
        for (boolean tcp : List.of(false, true)) {
            for (int type : List.of(Type.SOA, Type.MX, Type.TXT, Type.A)) {
                for (String name : List.of(domain, "mail." + domain)) {
                    Message answer = DnsFixture.query(server.port(), name, type, tcp);
                    assertThat(answer.getRcode()).as("%s %s over %s", name, Type.string(type), tcp ? "TCP" : "UDP")
                            .isEqualTo(Rcode.REFUSED);
                    assertThat(answer.getHeader().getFlag(Flags.AA)).isFalse();
                }
            }
        }
    }

    private void assertServed(String domain) throws Exception {
        Message soa = DnsFixture.query(server.port(), domain, Type.SOA, false);
        assertThat(soa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(soa.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(DnsFixture.query(server.port(), domain, Type.MX, true).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    private static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 13);
    }
}
