package dev.mailops.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.testinfra.MailboxEventsFixture;
import dev.mailops.testinfra.SamePartition;
import dev.mailops.testinfra.TopicProbe;

/**
 * The door "one bad record stalls a partition": a record whose processing always fails, followed by
 * good records of other tenants on the same partition. The failing one is dead-lettered after its
 * attempts, with its error and counted, and the partition moves on; a transient fault (a real refused
 * database connection) is retried past those attempts, never dead-lettered, and applied once it clears.
 */
@QuarkusTest
class PoisonPartitionSecurityTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AppliedEvents appliedEvents;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "mailops.consumer.max-attempts")
    int maxAttempts;

    final List<String> tenants = SamePartition.tenants("kit-poison", 3);

    @AfterEach
    void releaseEverything() {
        KitProjection.databaseAway.clear();
        KitProjection.failing.clear();
    }

    @Test
    void aRecordThatAlwaysFailsIsDeadLetteredAfterItsAttemptsAndTheOtherTenantsOfItsPartitionGoOn() {
        String poison = "unknown-rate." + tenants.get(0) + ".example";
        String second = "good." + tenants.get(1) + ".example";
        String third = "good." + tenants.get(2) + ".example";
        KitProjection.failing.add(poison);
        double deadLettersBefore = deadLettered("failed");
        try (TopicProbe deadLetters = TopicProbe.open(KitTopics.DEAD_LETTERS);
                MailboxEventsFixture events = MailboxEventsFixture.transactional(KitTopics.EVENTS)) {
            events.inOneTransaction(() -> {
                events.domainAdded(tenants.get(0), poison, Instant.now());
                events.domainAdded(tenants.get(1), second, Instant.now());
                events.domainAdded(tenants.get(2), third, Instant.now());
            });

            ConsumerRecord<String, String> dead = deadLetters.await(TopicProbe.keyed(tenants.get(0)), 1, WAIT).get(0);
            assertThat(TopicProbe.header(dead, "ce_subject")).isEqualTo(poison);
            assertThat(TopicProbe.header(dead, "dead-letter-reason"))
                    .isEqualTo("failed " + maxAttempts + " times, last with java.lang.IllegalStateException: no rate for "
                            + poison)
                    .as("only the first line of the error").doesNotContain("Detail");
            assertThat(TopicProbe.header(dead, "dead-letter-exception-class-name"))
                    .isEqualTo(RecordFailedException.class.getName());
            assertThat(TopicProbe.header(dead, EventConsumption.ATTEMPTS_HEADER)).isEqualTo(String.valueOf(maxAttempts));
            assertThat(TopicProbe.header(dead, EventConsumption.ERROR_CLASS_HEADER)).isEqualTo("java.lang.IllegalStateException");
            assertThat(TopicProbe.header(dead, "dead-letter-topic")).isEqualTo(KitTopics.EVENTS);
            assertThat(TopicProbe.header(dead, "dead-letter-partition")).isNotNull();
            assertThat(TopicProbe.header(dead, "dead-letter-offset")).isNotNull();
            assertThat(TopicProbe.header(dead, "dead-letter-cause")).as("the error itself is not copied").isNull();
        }
        await().atMost(WAIT).until(() -> applied(tenants.get(1)).contains(second) && applied(tenants.get(2)).contains(third));
        assertThat(applied(tenants.get(0))).isEmpty();
        assertThat(KitProjection.attemptsAt(poison)).as("the poll's transaction, then its attempts alone")
                .hasSize(1 + maxAttempts);
        assertThat(deadLettered("failed") - deadLettersBefore).isEqualTo(1.0);
    }

    @Test
    void aTransientFaultIsRetriedPastTheAttemptsNeverDeadLetteredAndAppliedOnceItClears() {
        String waiting = "database-away." + tenants.get(0) + ".example";
        String after = "after." + tenants.get(1) + ".example";
        KitProjection.databaseAway.add(waiting);
        double deadLettersBefore = deadLettered("failed");
        try (TopicProbe deadLetters = TopicProbe.open(KitTopics.DEAD_LETTERS);
                MailboxEventsFixture events = MailboxEventsFixture.transactional(KitTopics.EVENTS)) {
            events.inOneTransaction(() -> {
                events.domainAdded(tenants.get(0), waiting, Instant.now());
                events.domainAdded(tenants.get(1), after, Instant.now());
            });

            await().atMost(WAIT).until(() -> KitProjection.attemptsAt(waiting).size() > 1 + maxAttempts);
            assertThat(applied(tenants.get(1))).as("the partition is held, nothing skipped").isEmpty();
            KitProjection.databaseAway.remove(waiting);

            await().atMost(WAIT).until(() -> applied(tenants.get(1)).contains(after));
            assertThat(applied(tenants.get(0))).containsExactly(waiting);
            assertThat(deadLetters.readToEnd(record -> tenants.contains(record.key()))).isEmpty();
        }
        assertThat(deadLettered("failed")).isEqualTo(deadLettersBefore);
    }

    private double deadLettered(String reason) {
        Counter counter = meters.find("events.dead-lettered").tags("topic", KitTopics.EVENTS, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<String> applied(String tenant) {
        return List.copyOf(QuarkusTransaction.requiringNew().call(() -> appliedEvents.applied(tenant)).keySet());
    }
}
