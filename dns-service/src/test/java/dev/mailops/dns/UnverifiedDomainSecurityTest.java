package dev.mailops.dns;

import static dev.mailops.dns.DnsFixture.WAIT;
import static dev.mailops.dns.DnsFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.dns.server.AuthoritativeServer;
import dev.mailops.dns.server.ZoneCache;
import dev.mailops.testinfra.MailboxEventsFixture;

/**
 * A domain whose DomainAdded carries a verification token is not served by the DNS server until its
 * DomainVerified arrives (the DNS server answers REFUSED, as for a name it is not authoritative for),
 * a pending claim that expired leaves no zone to hide the owner's, and a replay of the events ends
 * where the live consumption ended.
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

    /**
     * A squatter's pending claim expires: its zone goes with the records it had added, and the owner's
     * later claim gets a zone of its own, served once proven.
     */
    @Test
    void anExpiredClaimsZoneGoesAndTheOwnersClaimIsServedOnceProven() throws Exception {
        String squatter = newTenant();
        String owner = newTenant();
        String domain = pending(squatter);
        as(squatter, "admin").body(Map.of("source", "www", "type", "A", "value", "192.0.2.66"))
                .post("/api/v1/domains/" + domain + "/records").then().statusCode(201);
        expired(squatter, domain);
        await().atMost(WAIT).untilAsserted(() -> as(squatter, "user").get("/api/v1/domains/" + domain + "/records")
                .then().statusCode(404));

        pending(owner, domain);
        as(owner, "user").get("/api/v1/domains/" + domain + "/records").then().statusCode(200)
                .body("records.value", not(hasItem("192.0.2.66")));
        verified(owner, domain);
        await().atMost(WAIT).untilAsserted(() -> assertServed(domain));
        assertThat(DnsFixture.query(server.port(), "www." + domain, Type.A, false).getSection(Section.ANSWER)).isEmpty();
    }

    /**
     * The owner's DomainAdded travels on its own partition and may arrive before the squatter's
     * DomainClaimExpired: the squatter's pending zone must not hide the owner's claim, and the late
     * expiry must not remove the owner's zone.
     */
    @Test
    void anOwnersClaimArrivingBeforeTheExpiryIsNeitherHiddenNorRemoved() throws Exception {
        String squatter = newTenant();
        String owner = newTenant();
        String domain = pending(squatter);
        pending(owner, domain);
        await().atMost(WAIT).untilAsserted(() -> as(squatter, "user").get("/api/v1/domains/" + domain + "/records")
                .then().statusCode(404));
        expired(squatter, domain);
        pending(squatter); // after the expiry on the squatter's partition: once it is here, the expiry was applied
        as(owner, "user").get("/api/v1/domains/" + domain + "/records").then().statusCode(200);
        verified(owner, domain);
        await().atMost(WAIT).untilAsserted(() -> assertServed(domain));

        // A replay reads the two tenants' partitions in any order and ends the same.
        as("ops", "operator").post("/api/v1/operations/replay").then().statusCode(200);
        cache.refresh();
        assertServed(domain);
        as(owner, "user").get("/api/v1/domains/" + domain + "/records").then().statusCode(200);
        as(squatter, "user").get("/api/v1/domains/" + domain + "/records").then().statusCode(404);
    }

    /** A verified zone never expires, whatever arrives. */
    @Test
    void aVerifiedZoneIsNotRemovedByAnExpiry() throws Exception {
        String tenant = newTenant();
        String domain = pending(tenant);
        verified(tenant, domain);
        await().atMost(WAIT).untilAsserted(() -> assertServed(domain));
        expired(tenant, domain);
        pending(tenant);
        cache.refresh();
        assertServed(domain);
        as(tenant, "user").get("/api/v1/domains/" + domain + "/records").then().statusCode(200);
    }

    /** Publishes a DomainAdded with a verification token and waits until the zone exists (unserved). */
    private static String pending(String tenant) {
        return pending(tenant, "pending-" + UUID.randomUUID().toString().substring(0, 8) + ".de");
    }

    private static String pending(String tenant, String domain) {
        events.send(tenant, "DomainAdded", domain, Instant.now(), "{\"domain\":\"" + domain
                + "\",\"verificationToken\":\"q3Jb0m9mX1N4cHZpV2t0cE9xYlNlR2h6YjFkZA\"}");
        await().atMost(WAIT).untilAsserted(() -> as(tenant, "user").get("/api/v1/domains/" + domain + "/records")
                .then().statusCode(200));
        return domain;
    }

    private static void expired(String tenant, String domain) {
        events.send(tenant, "DomainClaimExpired", domain, Instant.now(),
                "{\"domain\":\"" + domain + "\",\"reclaimableAt\":\"" + Instant.now().plusSeconds(604800) + "\"}");
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
