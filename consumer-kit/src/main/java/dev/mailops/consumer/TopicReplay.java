package dev.mailops.consumer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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

    /** What a service does to rebuild its projection; every method runs in the replay's transaction. */
    public interface Rebuild {
        /** Empties the projection. */
        void truncate();

        /** Applies one event, in topic order per partition; false when it was a duplicate. */
        boolean apply(CloudEvent event);

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
    EntityManager entityManager;
    @Inject
    AgroalDataSource dataSource;

    /** The application's {@code kafka.*} settings, so a replay logs in to a secured broker like the channels do. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaSettings;

    /** Every live transaction of a projection calls this first. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void holdSharedForTransaction() {
        entityManager.createNativeQuery("select pg_advisory_xact_lock_shared(?1)").setParameter(1, LOCK_KEY)
                .getSingleResult();
    }

    public synchronized Result replay(String topic, Set<String> handledTypes, Rebuild rebuild) {
        return replayRecords(topic, new RecordRebuild() {
            @Override
            public void truncate() {
                rebuild.truncate();
            }

            @Override
            public boolean apply(ConsumerRecord<String, String> record) {
                if (CloudEventReader.ignorable(record.headers(), handledTypes)) {
                    return false;
                }
                CloudEvent event = reader.read(record.headers(), record.key(), record.value(), handledTypes);
                return rebuild.apply(event);
            }
        }, rebuild::finish);
    }

    /** Rebuilds from every record of the topic, as {@link #replay} does from its events. */
    public Result replayRecords(String topic, RecordRebuild rebuild) {
        return replayRecords(topic, rebuild, () -> {
        });
    }

    private synchronized Result replayRecords(String topic, RecordRebuild rebuild, Runnable finish) {
        long started = System.nanoTime();
        try (Connection lock = dataSource.getConnection()) {
            advisory(lock, "select pg_advisory_lock(?)");
            try {
                long[] counts = QuarkusTransaction.requiringNew().timeout(TRANSACTION_TIMEOUT_SECONDS).call(() -> {
                    rebuild.truncate();
                    long[] read = readAll(topic, rebuild);
                    finish.run();
                    return read;
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

    private long[] readAll(String topic, RecordRebuild rebuild) {
        Properties config = new Properties();
        kafkaSettings.forEach((key, value) -> {
            if (key.equals(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) || key.startsWith("security.")
                    || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        long[] totals = new long[3];
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofSeconds(1));
                long[] counts = applyBatch(batch, end, rebuild);
                for (int i = 0; i < totals.length; i++) {
                    totals[i] += counts[i];
                }
            }
        }
        return totals;
    }

    private long[] applyBatch(ConsumerRecords<String, String> batch, Map<TopicPartition, Long> end,
            RecordRebuild rebuild) {
        long[] counts = new long[3];
        for (ConsumerRecord<String, String> record : batch) {
            if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                continue;
            }
            counts[0]++;
            try {
                if (rebuild.apply(record)) {
                    counts[1]++;
                }
            } catch (PoisonRecordException e) {
                counts[2]++; // the live consumer dead-lettered it; a replay skips it likewise
            } catch (RuntimeException e) {
                if (FailureClassifier.isTransient(e)) {
                    throw e;
                }
                // The same error on every attempt: the live consumer dead-lettered it after its attempts.
                LOG.warnf("Replay skips %s-%d@%d, which fails with %s", record.topic(), record.partition(),
                        record.offset(), RecordFailedException.describe(e));
                counts[2]++;
            }
        }
        return counts;
    }

    private static void advisory(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, LOCK_KEY);
            statement.execute();
        }
    }
}
