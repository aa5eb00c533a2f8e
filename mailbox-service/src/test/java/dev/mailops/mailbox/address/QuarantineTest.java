package dev.mailops.mailbox.address;

import static dev.mailops.mailbox.Api.addAlias;
import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.createMailbox;
import static dev.mailops.mailbox.Api.mailbox;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;
import static dev.mailops.testinfra.TopicProbe.header;
import static dev.mailops.testinfra.TopicProbe.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.Api;
import dev.mailops.mailbox.command.MailboxCommands;
import dev.mailops.mailbox.time.TestClock;
import dev.mailops.testinfra.TopicProbe;

/**
 * A deleted address stays blocked for 48 hours, then is released exactly once and can be created
 * again. The tests move the clock past the 48 hours instead of waiting for them.
 */
@QuarkusTest
class QuarantineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RELEASE_JOB = "address-release";
    private static final Duration QUARANTINE = Duration.ofHours(48);

    @Inject
    Scheduler scheduler;

    @Inject
    MailboxCommands commands;

    @Inject
    Database database;

    @Inject
    TestClock clock;

    @Test
    void deletedAddressesAreBlockedThenReleasedExactlyOnceAndCanBeCreatedAgain() {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        try (TopicProbe probe = TopicProbe.open(Api.EVENTS_TOPIC)) {
            String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
            addAlias(tenant, id, "sales", domain);
            Instant deletedAt = clock.instant();
            admin(tenant).delete("/api/v1/mailboxes/" + id).then().statusCode(204);
            Instant deleted = clock.instant();

            String availableAt = admin(tenant).body(mailbox("anna", domain, "MAIL_LIGHT")).post("/api/v1/mailboxes")
                    .then().statusCode(409).extract().path("availableAt");
            assertThat(Instant.parse(availableAt)).isBetween(deletedAt.plus(QUARANTINE), deleted.plus(QUARANTINE));
            clock.advance(QUARANTINE.minusMinutes(1));
            admin(tenant).get("/api/v1/addresses/sales@" + domain).then().body("status", equalTo("BLOCKED"));
            assertThat(released(tenant)).as("released before the 48 hours are over").isEmpty();

            clock.advance(Duration.ofMinutes(1));
            // The release job runs every second (test profile): wait for its events, not for the 48 hours.
            List<ConsumerRecord<String, String>> released = probe.await(keyed(tenant).and(QuarantineTest::isRelease), 2,
                    Duration.ofSeconds(15));
            admin(tenant).get("/api/v1/addresses/sales@" + domain).then().body("status", equalTo("AVAILABLE"));
            assertThat(released).extracting(QuarantineTest::data).containsExactlyInAnyOrder(
                    Map.of("mailboxId", id, "address", "anna@" + domain),
                    Map.of("mailboxId", id, "address", "sales@" + domain));

            released.forEach(record -> assertThat(
                    dev.mailops.mailbox.messaging.ContractSchemas.validate("AddressReleased", 1, record.value())).isEmpty());
            String again = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
            addAlias(tenant, again, "sales", domain);
            admin(tenant).get("/api/v1/mailboxes/" + id + "/history").then()
                    .body("type", equalTo(List.of("MailboxCreated", "AliasAdded", "MailboxDeleted", "AddressReleased",
                            "AddressReleased")));
            // One tenant's events reach the topic in the order they were stored: once an event stored
            // after all of the above arrived, every release published for them has arrived too.
            String marker = newDomain();
            registerDomain(tenant, marker);
            probe.await(keyed(tenant).and(r -> marker.equals(header(r, "ce_subject"))), 1, Duration.ofSeconds(15));
            assertThat(probe.await(keyed(tenant).and(QuarantineTest::isRelease), 0, Duration.ZERO)).hasSize(2);
        }
    }

    @Test
    void aDueAddressIsReleasedByTheCreateThatWantsItWhenTheSchedulerIsBehind() {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        scheduler.pause(RELEASE_JOB);
        try {
            String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
            admin(tenant).delete("/api/v1/mailboxes/" + id).then().statusCode(204);
            clock.advance(QUARANTINE);
            admin(tenant).get("/api/v1/addresses/anna@" + domain).then().body("status", equalTo("AVAILABLE"));
            createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
            admin(tenant).get("/api/v1/mailboxes/" + id + "/history").then()
                    .body("type", equalTo(List.of("MailboxCreated", "MailboxDeleted", "AddressReleased")))
                    .body("[2].actor", equalTo("system:address-release"));
        } finally {
            scheduler.resume(RELEASE_JOB);
        }
    }

    @Test
    void aRemovedAliasCanBeAddedBackToItsMailboxOnceDueEvenBeforeTheScheduler() {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        scheduler.pause(RELEASE_JOB);
        try {
            String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
            addAlias(tenant, id, "sales", domain);
            admin(tenant).delete("/api/v1/mailboxes/" + id + "/aliases/sales@" + domain).then().statusCode(204);
            clock.advance(QUARANTINE);
            admin(tenant).get("/api/v1/addresses/sales@" + domain).then().body("status", equalTo("AVAILABLE"));
            addAlias(tenant, id, "sales", domain);
            admin(tenant).get("/api/v1/mailboxes/" + id + "/history").then()
                    .body("type", equalTo(List.of("MailboxCreated", "AliasAdded", "AliasRemoved", "AddressReleased",
                            "AliasAdded")));
            admin(tenant).get("/api/v1/mailboxes/" + id).then().body("version", equalTo(5));
        } finally {
            scheduler.resume(RELEASE_JOB);
        }
    }

    @Test
    void concurrentReleasersReleaseEachAddressExactlyOnce() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        scheduler.pause(RELEASE_JOB);
        ExecutorService instances = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 8; i++) {
                String id = createMailbox(tenant, "box" + i, domain, "MAIL_LIGHT");
                addAlias(tenant, id, "alias" + i, domain);
                admin(tenant).delete("/api/v1/mailboxes/" + id).then().statusCode(204);
            }
            clock.advance(QUARANTINE);
            admin(tenant).get("/api/v1/addresses/alias7@" + domain).then().body("status", equalTo("AVAILABLE"));

            Callable<Integer> instance = () -> {
                int total = 0;
                for (int released = -1; released != 0;) {
                    released = commands.releaseDueAddresses(3);
                    total += released;
                }
                return total;
            };
            List<Future<Integer>> runs = instances.invokeAll(List.of(instance, instance, instance, instance));
            int total = 0;
            for (Future<Integer> run : runs) {
                total += run.get(60, TimeUnit.SECONDS); // a run that failed (e.g. a conflict) throws here
            }
            assertThat(total).as("releases reported by the four instances").isGreaterThanOrEqualTo(16);
            assertThat(released(tenant)).hasSize(16).doesNotHaveDuplicates();
        } finally {
            instances.shutdownNow();
            scheduler.resume(RELEASE_JOB);
        }
    }

    /** The addresses released for the tenant, as stored. */
    private List<String> released(String tenant) {
        return database.list("""
                select payload ->> 'address' from event_store
                where tenant_id = ? and event_type = 'AddressReleased'""", row -> row.getString(1), tenant);
    }

    private static boolean isRelease(ConsumerRecord<String, String> record) {
        return "AddressReleased".equals(header(record, "ce_type"));
    }

    private static Map<?, ?> data(ConsumerRecord<String, String> record) {
        try {
            return JSON.readValue(record.value(), Map.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
