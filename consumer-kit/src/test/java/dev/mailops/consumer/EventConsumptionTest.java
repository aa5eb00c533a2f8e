package dev.mailops.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.testinfra.MailboxEventsFixture;
import dev.mailops.testinfra.TopicProbe;

/**
 * {@link EventConsumption} on a real topic and a real database: one transaction per poll, and when
 * it fails, one transaction per record with backoff, so nothing is skipped and the order stays.
 */
@QuarkusTest
class EventConsumptionTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AppliedEvents appliedEvents;

    final String tenant = "kit-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void releaseEverything() {
        KitProjection.databaseAway.clear();
        KitProjection.failing.clear();
        KitProjection.poisoned.clear();
    }

    @Test
    void anEventTheProjectionRefusesAsPoisonIsDeadLetteredAndTheOthersOfThePollAreApplied() {
        List<String> subjects = subjects("before", "unknown-data", "after");
        KitProjection.poisoned.add(subjects.get(1));
        try (TopicProbe deadLetters = TopicProbe.open(KitTopics.DEAD_LETTERS)) {
            publishInOnePoll(subjects);

            List<ConsumerRecord<String, String>> dead = deadLetters.await(TopicProbe.keyed(tenant), 1, WAIT);
            assertThat(TopicProbe.header(dead.get(0), "ce_subject")).isEqualTo(subjects.get(1));
            assertThat(TopicProbe.header(dead.get(0), "dead-letter-reason")).contains("cannot apply");
        }
        await().atMost(WAIT).until(() -> applied().size() == 2);
        assertThat(applied().keySet()).containsExactly(subjects.get(0), subjects.get(2));
        assertThat(KitProjection.attemptsAt(subjects.get(2))).as("never held back by the poison").isNotEmpty();
    }

    @Test
    void aPollIsAppliedInOneTransaction() {
        List<String> subjects = subjects("a", "b", "c");
        publishInOnePoll(subjects);
        await().atMost(WAIT).until(() -> applied().size() == 3);
        assertThat(applied().keySet()).containsExactlyElementsOf(subjects);
        assertThat(applied().values()).as("one transaction").containsOnly(applied().get(subjects.get(0)));
    }

    @Test
    void whenThePollsTransactionFailsEachRecordIsAppliedInATransactionOfItsOwnAndOneThatMeetsATransientFaultHoldsItsPartition() {
        List<String> subjects = subjects("first", "second", "failing", "after");
        String failing = subjects.get(2);
        KitProjection.databaseAway.add(failing);
        publishInOnePoll(subjects);

        await().atMost(WAIT).until(() -> KitProjection.attemptsAt(failing).size() >= 4);
        assertThat(applied().keySet()).as("the records before the failing one are kept")
                .containsExactly(subjects.get(0), subjects.get(1));
        assertThat(applied().get(subjects.get(0))).as("each in a transaction of its own")
                .isNotEqualTo(applied().get(subjects.get(1)));
        assertThat(KitProjection.attemptsAt(subjects.get(0))).as("in the poll's transaction, then alone").hasSize(2);
        assertThat(KitProjection.attemptsAt(subjects.get(3))).as("never tried: the failing record holds its partition")
                .isEmpty();

        KitProjection.databaseAway.remove(failing);
        await().atMost(WAIT).until(() -> applied().size() == 4);
        assertThat(applied().keySet()).as("nothing skipped, the order kept").containsExactlyElementsOf(subjects);
        assertThat(applied().get(failing)).isNotEqualTo(applied().get(subjects.get(3)));
    }

    @Test
    void aRecordThatMeetsATransientFaultIsRetriedWithABackoffThatDoublesUpToItsCap() {
        String failing = subjects("failing").get(0);
        KitProjection.databaseAway.add(failing);
        publishInOnePoll(List.of(failing));

        // the poll's transaction, then alone: at once, after 30 ms, 60, 120, 240, 480, 960 and 1,500 ms (the
        // test configuration's first backoff and cap)
        await().atMost(Duration.ofSeconds(20)).until(() -> KitProjection.attemptsAt(failing).size() >= 9);
        KitProjection.databaseAway.remove(failing);
        List<KitProjection.Attempt> attempts = KitProjection.attemptsAt(failing);
        List<Long> pauses = new ArrayList<>();
        for (int i = 2; i < 9; i++) {
            pauses.add(Duration.ofNanos(attempts.get(i).nanos() - attempts.get(i - 1).nanos()).toMillis());
        }
        long[] backoff = { 30, 60, 120, 240, 480, 960, 1500 };
        for (int i = 0; i < backoff.length; i++) {
            assertThat(pauses.get(i)).as("pause %d of %s", i + 1, pauses).isGreaterThanOrEqualTo(backoff[i]);
        }
        assertThat(pauses.get(6)).as("capped at 1.5 s, not doubled to 1.92 s: %s", pauses).isLessThan(1920);
        await().atMost(WAIT).until(() -> applied().containsKey(failing));
    }

    @Test
    void poisonIsDeadLetteredIgnoredTypesAreSkippedAndTheRestApplied() throws Exception {
        List<String> subjects = subjects("good", "ignored", "poison", "good-too");
        try (TopicProbe deadLetters = TopicProbe.open(KitTopics.DEAD_LETTERS);
                MailboxEventsFixture events = MailboxEventsFixture.transactional(KitTopics.EVENTS)) {
            Instant now = Instant.now();
            events.inOneTransaction(() -> {
                events.domainAdded(tenant, subjects.get(0), now);
                events.send(tenant, "TenantRenamed", subjects.get(1), now, "not even JSON");
                events.send(tenant, "DomainAdded", subjects.get(2), now, "{\"domain\":\"NOT A DOMAIN\"}");
                events.domainAdded(tenant, subjects.get(3), now);
            });
            await().atMost(WAIT).until(() -> applied().size() == 2);
            assertThat(applied().keySet()).containsExactly(subjects.get(0), subjects.get(3));
            // Dead letters are sent in poll order: had the ignored record been one, it would come first.
            List<ConsumerRecord<String, String>> dead = deadLetters.await(TopicProbe.keyed(tenant), 1, WAIT);
            assertThat(TopicProbe.header(dead.get(0), "ce_subject")).isEqualTo(subjects.get(2));
            assertThat(TopicProbe.header(dead.get(0), "dead-letter-reason")).contains("violates");
        }
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() {
        String subject = subjects("once").get(0);
        try (MailboxEventsFixture events = new MailboxEventsFixture(KitTopics.EVENTS)) {
            MailboxEventsFixture.Sent sent = events.domainAdded(tenant, subject, Instant.now());
            events.resend(sent);
            String marker = subjects("marker").get(0);
            events.domainAdded(tenant, marker, Instant.now());
            await().atMost(WAIT).until(() -> applied().containsKey(marker));
        }
        assertThat(KitProjection.attemptsAt(subject)).hasSize(1);
        assertThat(applied()).containsKey(subject);
    }

    /** Domains of this test's tenant, which the records carry as their subject. */
    private List<String> subjects(String... names) {
        return java.util.Arrays.stream(names).map(name -> name + "." + tenant + ".example").toList();
    }

    /** Published in one Kafka transaction: the read_committed consumer gets them in one poll. */
    private void publishInOnePoll(List<String> domains) {
        try (MailboxEventsFixture events = MailboxEventsFixture.transactional(KitTopics.EVENTS)) {
            events.inOneTransaction(() -> domains.forEach(domain -> events.domainAdded(tenant, domain, Instant.now())));
        }
    }

    private Map<String, Long> applied() {
        return QuarkusTransaction.requiringNew().call(() -> appliedEvents.applied(tenant));
    }
}
