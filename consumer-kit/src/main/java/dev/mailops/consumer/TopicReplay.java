package dev.mailops.consumer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.smallrye.common.annotation.Identifier;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Rebuilds a projection from its topic: from the beginning up to the end the topic had when the
 * replay started, in one transaction, so that nobody reads a half-rebuilt projection and a replay
 * that dies half-way changes nothing. A PostgreSQL advisory lock, held exclusively for the
 * whole replay and shared by every live transaction ({@link #holdSharedForTransaction}), makes live
 * consumption on all instances wait; live events are then found applied, or applied on top.
 */
@ApplicationScoped
public class TopicReplay {

    private static final Logger LOG = Logger.getLogger(TopicReplay.class);
    private static final long LOCK_KEY = 0x7265706c6179L;

    /** A rebuild stays within one transaction; a million events take about a minute on 2 cores. */
    private static final int TRANSACTION_TIMEOUT_SECONDS = 3600;
    /** Polls (of at most 500 records) read and waiting to be applied: bounds the replay's memory. */
    private static final int POLLS_AHEAD = 1;

    /** A rebuild that applies each event as the reading side checked it. */
    public interface Rebuild extends ReadingRebuild<CloudEvent> {
        @Override
        default CloudEvent read(CloudEvent event) {
            return event;
        }
    }

    /**
     * A rebuild that makes each event into what it applies (its data read, say) on the replay's reading
     * thread: that work then runs beside applying, and what waits to be applied is small. Every method but
     * {@link #read} runs in the replay's transaction.
     */
    public interface ReadingRebuild<T> {
        /** Empties the projection. */
        void truncate();

        /** Told once, before the first event, how many records the replay reads at most. */
        default void expect(long records) {
        }

        /** On a reading thread, ahead of {@link #apply}: touches no state and no database; null: nothing to apply. */
        T read(CloudEvent event);

        /** Applies one event as read, in topic order per partition; false when it was a duplicate. */
        boolean apply(T event);

        /** Writes out what the rebuild kept in memory, once all events are applied. */
        default void finish() {
        }
    }

    /**
     * A rebuild from a topic whose records are not events of a tenant (e.g. a compacted topic keyed by
     * another id, with tombstones): it reads each record itself.
     */
    public interface RecordRebuild {
        /** Empties the projection. */
        void truncate();

        /** Applies one record, in topic order per partition; false when it changed nothing. */
        boolean apply(ConsumerRecord<String, String> record);
    }

    public record Result(long records, long applied, long deadLettered, long millis) {
        public long eventsPerSecond() {
            return millis == 0 ? records : records * 1000 / millis;
        }
    }

    @Inject
    CloudEventReader reader;
    @Inject
    AgroalDataSource dataSource;

    /** The application's {@code kafka.*} settings, so a replay logs in to a secured broker like the channels do. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaSettings;

    /** Every live transaction of a projection calls this first (on the transaction's connection, which Agroal enlisted). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void holdSharedForTransaction() {
        try (Connection transactional = dataSource.getConnection()) {
            advisory(transactional, "select pg_advisory_xact_lock_shared(?)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take the shared replay lock", e);
        }
    }

    public synchronized <T> Result replay(String topic, Set<String> handledTypes, ReadingRebuild<T> rebuild) {
        // Values as bytes: the JSON parser reads UTF-8 itself, without a String decoded first.
        return replay(topic, ByteArrayDeserializer.class, rebuild::truncate, rebuild::expect,
                record -> CloudEventReader.ignorable(record.headers(), handledTypes) ? null
                        : rebuild.read(reader.read(record.headers(), record.key(), record.value(), handledTypes)),
                rebuild::apply, rebuild::finish);
    }

    /** Rebuilds from every record of the topic, as {@link #replay} does from its events. */
    public Result replayRecords(String topic, RecordRebuild rebuild) {
        return replay(topic, StringDeserializer.class, rebuild::truncate, records -> {
        }, record -> record, rebuild::apply, () -> {
        });
    }

    /**
     * @param read what a record is to {@code apply}, or null when there is nothing to apply; runs on the
     *        replay's reading threads, ahead of {@code apply}, so it touches no state and no database
     * @param apply applies what {@code read} made, in the replay's transaction, in topic order per partition
     */
    private synchronized <V, T> Result replay(String topic, Class<? extends Deserializer<V>> values,
            Runnable truncate, LongConsumer expect, Function<ConsumerRecord<String, V>, T> read, Predicate<T> apply,
            Runnable finish) {
        long started = System.nanoTime();
        try (Connection lock = dataSource.getConnection()) {
            advisory(lock, "select pg_advisory_lock(?)");
            try {
                long[] counts = QuarkusTransaction.requiringNew().timeout(TRANSACTION_TIMEOUT_SECONDS).call(() -> {
                    truncate.run();
                    long[] applied = applyAll(topic, values, expect, read, apply);
                    finish.run();
                    return applied;
                });
                Result result = new Result(counts[0], counts[1], counts[2], (System.nanoTime() - started) / 1_000_000);
                LOG.infof("Replayed %d records of %s (%d applied, %d dead letters skipped) in %d ms, %d/s",
                        result.records(), topic, result.applied(), result.deadLettered(), result.millis(),
                        result.eventsPerSecond());
                return result;
            } finally {
                advisory(lock, "select pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Replay of " + topic + " failed", e);
        }
    }

    /**
     * Applies what a reading thread polls and reads: a record's headers, JSON and schema cost about as much
     * as applying it, so the two run side by side, the reading thread at most {@link #POLLS_AHEAD} polls ahead.
     */
    private <V, T> long[] applyAll(String topic, Class<? extends Deserializer<V>> values, LongConsumer expect,
            Function<ConsumerRecord<String, V>, T> read, Predicate<T> apply) {
        ReadAhead<V, T> reading = new ReadAhead<>(topic, values, read);
        Thread thread = new Thread(reading, "topic-replay-read");
        thread.setDaemon(true);
        thread.start();
        long[] totals = new long[3];
        try {
            expect.accept(reading.records());
            for (List<Read<T>> poll = reading.next(); poll != null; poll = reading.next()) {
                for (Read<T> record : poll) {
                    totals[0]++;
                    try {
                        if (record.failure() != null) {
                            throw record.failure();
                        }
                        if (record.value() != null && apply.test(record.value())) {
                            totals[1]++;
                        }
                    } catch (PoisonRecordException e) {
                        totals[2]++; // the live consumer dead-lettered it; a replay skips it likewise
                    } catch (RuntimeException e) {
                        if (FailureClassifier.isTransient(e)) {
                            throw e;
                        }
                        // The same error on every attempt: the live consumer dead-lettered it after its attempts.
                        LOG.warnf("Replay skips %s-%d@%d, which fails with %s", topic, record.partition(),
                                record.offset(), RecordFailedException.describe(e));
                        totals[2]++;
                    }
                }
            }
            return totals;
        } finally {
            reading.stop(thread);
        }
    }

    /** A record as read: what to apply (null: nothing), or why it could not be read. */
    private record Read<T>(int partition, long offset, T value, RuntimeException failure) {
    }

    /**
     * The reading thread: polls the topic up to the end it had at the start, and reads each poll's records,
     * with the common pool's threads.
     */
    private final class ReadAhead<V, T> implements Runnable {

        private static final Object END = new Object();

        private final String topic;
        private final Class<? extends Deserializer<V>> values;
        private final Function<ConsumerRecord<String, V>, T> read;
        private final BlockingQueue<Object> polls = new ArrayBlockingQueue<>(POLLS_AHEAD);
        private volatile boolean stopped;

        ReadAhead(String topic, Class<? extends Deserializer<V>> values, Function<ConsumerRecord<String, V>, T> read) {
            this.topic = topic;
            this.values = values;
            this.read = read;
        }

        @Override
        public void run() {
            try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerConfig(values))) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
                handOver(partitions.stream().mapToLong(p -> end.get(p) - beginning.get(p)).sum());
                while (!stopped && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    List<ConsumerRecord<String, V>> records = new ArrayList<>();
                    for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofSeconds(1))) {
                        if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                            records.add(record);
                        }
                    }
                    // Reading (headers, JSON, schema) is most of a replay's work and each record's own: it
                    // takes the common pool's threads beside this one; the list keeps the topic's order.
                    handOver(records.parallelStream().map(this::readOne).toList());
                }
                handOver(END);
            } catch (RuntimeException e) {
                handOver(e);
            }
        }

        private Read<T> readOne(ConsumerRecord<String, V> record) {
            try {
                return new Read<>(record.partition(), record.offset(), read.apply(record), null);
            } catch (RuntimeException e) {
                return new Read<>(record.partition(), record.offset(), null, e);
            }
        }

        private void handOver(Object poll) {
            try {
                while (!stopped && !polls.offer(poll, 100, TimeUnit.MILLISECONDS)) {
                    // the applying side is behind: wait for it, unless it stopped
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** How many records the topic holds (before the first poll: the reading thread hands this over first). */
        long records() {
            return (Long) take();
        }

        /** The next poll as read, null at the end. */
        @SuppressWarnings("unchecked")
        List<Read<T>> next() {
            Object poll = take();
            return poll == END ? null : (List<Read<T>>) poll;
        }

        /** What the reading thread handed over next; its failure is thrown here. */
        private Object take() {
            Object next;
            try {
                next = polls.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while replaying " + topic, e);
            }
            if (next instanceof RuntimeException failure) {
                throw failure;
            }
            return next;
        }

        /** Ends the reading thread, which notices within a poll's second and closes its consumer. */
        void stop(Thread thread) {
            stopped = true;
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Properties consumerConfig(Class<? extends Deserializer<?>> values) {
        Properties config = new Properties();
        kafkaSettings.forEach((key, value) -> {
            if (key.equals(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) || key.startsWith("security.")
                    || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, values.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // What is fetched and read ahead is held beside the rebuilt state: a few hundred kilobytes per
        // partition and 500 records a poll keep it to a few megabytes (the defaults let it reach tens).
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(256 * 1024));
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(1024 * 1024));
        return config;
    }

    private static void advisory(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, LOCK_KEY);
            statement.execute();
        }
    }
}
