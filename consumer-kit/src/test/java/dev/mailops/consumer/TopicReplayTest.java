package dev.mailops.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.testinfra.MailboxEventsFixture;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * {@link TopicReplay} on a real topic and a real database: the whole topic in one transaction, so
 * nobody reads a half-rebuilt projection and a replay that fails half-way changes nothing.
 */
@QuarkusTest
class TopicReplayTest {

    static final Set<String> HANDLED = Set.of("DomainAdded");

    @Inject
    TopicReplay replay;
    @Inject
    AppliedEvents appliedEvents;
    @Inject
    AgroalDataSource dataSource;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String topic = "kit-" + run + ".replayed.events";
    final String projection = "replay-" + run;
    final List<String> domains = new ArrayList<>();

    /** Five domains, a record of a type the projection ignores, a poison record and a redelivery. */
    @BeforeEach
    void publishTheTopic() {
        try (MailboxEventsFixture events = new MailboxEventsFixture(topic)) {
            Instant now = Instant.now();
            MailboxEventsFixture.Sent first = null;
            for (int i = 0; i < 5; i++) {
                String domain = "d" + i + "." + run + ".example";
                domains.add(domain);
                MailboxEventsFixture.Sent sent = events.domainAdded("t-" + run, domain, now);
                first = first == null ? sent : first;
            }
            events.feeChanged("t-" + run, "BUSINESS_RESELLER", "BUSINESS_SUPPORT", now);
            events.send("t-" + run, "DomainAdded", "poison", now, "{\"domain\":42}");
            events.resend(first);
        }
    }

    @AfterEach
    void deleteTheTopic() {
        TestInfrastructure.settings().deleteTopics("kit-" + run + ".");
    }

    @Test
    void aReplayAppliesTheWholeTopicOnceAndCountsWhatItSkipped() {
        TopicReplay.Result result = replay.replay(topic, HANDLED, rebuild(Integer.MAX_VALUE, null));
        assertThat(result.records()).isEqualTo(8);
        assertThat(result.applied()).as("the redelivery is no new event").isEqualTo(5);
        assertThat(result.deadLettered()).isEqualTo(1);
        assertThat(rows()).containsExactlyElementsOf(domains);
    }

    @Test
    void aReplayThatFailsHalfWayChangesNothing() {
        replay.replay(topic, HANDLED, rebuild(Integer.MAX_VALUE, null));
        List<String> before = rows();

        assertThatThrownBy(() -> replay.replay(topic, HANDLED, rebuild(3, null)))
                .hasStackTraceContaining("Could not reach the database");
        assertThat(rows()).as("the truncation and the first events are rolled back").isEqualTo(before);
        assertThat(readingThreads()).as("the reading thread ended with the replay").isEmpty();
    }

    /**
     * Records are read on threads of their own (the reading thread and the common pool's), a poll ahead of
     * applying them: the order must survive that, and what a rebuild reads is what it applies.
     */
    @Test
    void aReplayOfManyPollsAppliesEachPartitionInTopicOrder() {
        String tenant = "many-" + run;
        List<UUID> sent = new ArrayList<>();
        try (MailboxEventsFixture events = new MailboxEventsFixture(topic)) {
            Instant now = Instant.now();
            for (int i = 0; i < 4_500; i++) { // nine polls of 500 records
                sent.add(events.domainAdded(tenant, "m" + i + "." + run + ".example", now).id());
            }
        }
        List<UUID> applied = new ArrayList<>();
        Set<String> readingThreads = ConcurrentHashMap.newKeySet();
        Set<String> applyingThreads = new HashSet<>();
        TopicReplay.Result result = replay.replay(topic, HANDLED, new TopicReplay.ReadingRebuild<UUID>() {
            @Override
            public void truncate() {
            }

            @Override
            public UUID read(CloudEvent event) {
                readingThreads.add(Thread.currentThread().getName());
                return event.tenantId().equals(tenant) ? event.id() : null; // null: nothing to apply
            }

            @Override
            public boolean apply(UUID id) {
                applyingThreads.add(Thread.currentThread().getName());
                applied.add(id);
                return true;
            }
        });
        assertThat(applied).as("one tenant is one partition, applied in the order it was sent")
                .containsExactlyElementsOf(sent);
        assertThat(readingThreads).as("read beside the transaction's thread").doesNotContainAnyElementsOf(applyingThreads);
        assertThat(result.records()).isEqualTo(8 + 4_500);
        assertThat(result.deadLettered()).as("the poison record").isEqualTo(1);
        assertThat(readingThreads()).as("the reading thread ended with the replay").isEmpty();
    }

    @Test
    void nobodyReadsAHalfRebuiltProjection() throws Exception {
        replay.replay(topic, HANDLED, rebuild(Integer.MAX_VALUE, null));
        List<Long> seenDuringTheReplay = new ArrayList<>();
        replay.replay(topic, HANDLED, rebuild(Integer.MAX_VALUE, applied -> {
            if (applied == 3) {
                seenDuringTheReplay.add(countFromOutside());
            }
        }));
        assertThat(seenDuringTheReplay).as("another connection sees the old projection until the commit")
                .containsExactly(5L);
        assertThat(rows()).containsExactlyElementsOf(domains);
    }

    @Test
    void liveConsumptionWaitsForTheReplay() throws Exception {
        CompletableFuture<Void> live = new CompletableFuture<>();
        List<Boolean> liveDoneWhileWaiting = new ArrayList<>();
        replay.replay(topic, HANDLED, rebuild(Integer.MAX_VALUE, applied -> {
            if (applied == 1) {
                CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(replay::holdSharedForTransaction))
                        .whenComplete((done, failure) -> live.complete(null));
                await().atMost(Duration.ofSeconds(10)).until(this::aTransactionWaitsForTheReplayLock);
                liveDoneWhileWaiting.add(live.isDone());
            }
        }));
        assertThat(liveDoneWhileWaiting).containsExactly(false);
        live.get(10, TimeUnit.SECONDS);
    }

    /** Writes a row per new event; fails at event {@code failAt}; tells {@code afterEach} how many it applied. */
    private TopicReplay.Rebuild rebuild(int failAt, java.util.function.IntConsumer afterEach) {
        Set<UUID> seen = new HashSet<>();
        return new TopicReplay.Rebuild() {
            @Override
            public void truncate() {
                appliedEvents.forget(projection);
            }

            @Override
            public boolean apply(CloudEvent event) {
                if (!seen.add(event.id())) {
                    return false;
                }
                if (seen.size() == failAt) {
                    KitProjection.connectToTheDatabaseThatIsAway(); // a transient fault fails the replay
                }
                appliedEvents.record(projection, event);
                if (afterEach != null) {
                    afterEach.accept(seen.size());
                }
                return true;
            }
        };
    }

    private List<String> rows() {
        return QuarkusTransaction.requiringNew().call(() -> appliedEvents.subjects(projection));
    }

    /** Counts the projection's rows on a connection of its own, outside the replay's transaction. */
    private long countFromOutside() {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection();
                    var count = connection.prepareStatement("select count(*) from applied_event where projection = ?")) {
                count.setString(1, projection);
                ResultSet result = count.executeQuery();
                result.next();
                return result.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }).join();
    }

    private static List<Thread> readingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("topic-replay-read") && thread.isAlive()).toList();
    }

    /** Whether PostgreSQL shows a session waiting for the replay's advisory lock. */
    private boolean aTransactionWaitsForTheReplayLock() {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection();
                    var waiting = connection.prepareStatement("select count(*) from pg_locks where locktype = 'advisory' "
                            + "and not granted and database = (select oid from pg_database where datname = current_database())")) {
                ResultSet result = waiting.executeQuery();
                result.next();
                return result.getLong(1) > 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }).join();
    }
}
