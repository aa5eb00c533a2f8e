package dev.mailops.billing.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.mailops.billing.contract.ContractLedger;
import dev.mailops.billing.events.EventReader;
import dev.mailops.billing.events.IncomingEvent;
import dev.mailops.billing.events.PoisonEventException;

/**
 * Rebuilds every contract from mailbox.events, from the beginning up to the end the topic had when
 * the replay started. The billing addresses and sent notices stay (they are not derived from events);
 * nothing is published or mailed again. Live consumption, on every instance, waits meanwhile.
 */
@ApplicationScoped
public class Replayer {

    private static final Logger LOG = Logger.getLogger(Replayer.class);

    public record Result(long records, long applied, long deadLettered, long millis) {
        public long eventsPerSecond() {
            return millis == 0 ? records : records * 1000 / millis;
        }
    }

    @Inject
    EventReader reader;
    @Inject
    ContractLedger ledger;
    @Inject
    EntityManager entityManager;
    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "mp.messaging.incoming.mailbox-events.topic")
    String topic;

    public synchronized Result replay() {
        long started = System.nanoTime();
        try (Connection lock = dataSource.getConnection()) {
            advisoryLock(lock, "select pg_advisory_lock(?)");
            try {
                QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                        "truncate contract_revision, contract_line, basic_fee_period, contract, processed_event")
                        .executeUpdate());
                Result result = readAll(started);
                LOG.infof("Replayed %d records of %s (%d applied, %d dead letters skipped) in %d ms, %d/s",
                        result.records(), topic, result.applied(), result.deadLettered(), result.millis(),
                        result.eventsPerSecond());
                return result;
            } finally {
                advisoryLock(lock, "select pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Replay failed", e);
        }
    }

    private Result readAll(long started) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        long records = 0;
        long applied = 0;
        long deadLettered = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofSeconds(1));
                long[] counts = QuarkusTransaction.requiringNew().call(() -> applyBatch(batch, end));
                records += counts[0];
                applied += counts[1];
                deadLettered += counts[2];
            }
        }
        return new Result(records, applied, deadLettered, (System.nanoTime() - started) / 1_000_000);
    }

    /** Applies one poll's records (those before the end snapshot) in one transaction. */
    private long[] applyBatch(ConsumerRecords<String, String> batch, Map<TopicPartition, Long> end) {
        long records = 0;
        long applied = 0;
        long deadLettered = 0;
        for (ConsumerRecord<String, String> record : batch) {
            if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                continue;
            }
            records++;
            try {
                IncomingEvent event = reader.read(record.headers(), record.key(), record.value());
                if (!ledger.apply(event, true).duplicate()) {
                    applied++;
                }
            } catch (PoisonEventException e) {
                deadLettered++; // the live consumer dead-lettered it; a replay skips it likewise
            }
        }
        return new long[] { records, applied, deadLettered };
    }

    private static void advisoryLock(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, ReplayLock.KEY);
            statement.execute();
        }
    }
}
