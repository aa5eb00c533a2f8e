package dev.mailops.bench.observe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.mailops.bench.system.LocalSystem;
import dev.mailops.testinfra.LocalInfrastructure;

/** When the system has caught up: the outbox is empty, and the consumer groups have no lag. */
public final class Settling {

    private final LocalSystem system;

    public Settling(LocalSystem system) {
        this.system = system;
    }

    /**
     * Counts the outbox's rows on one connection for as long as it is open: a sampler that opened a
     * connection per count (a new PostgreSQL backend each time) would load the database it measures.
     */
    public OutboxBacklog outboxBacklog() {
        try {
            return new OutboxBacklog(system.connect("mailbox"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outbox's rows now, as often as asked, on its own connection. */
    public static final class OutboxBacklog implements AutoCloseable {
        private final Connection connection;
        private final PreparedStatement count;

        OutboxBacklog(Connection connection) throws SQLException {
            this.connection = connection;
            this.count = connection.prepareStatement("select count(*) from outbox");
        }

        public synchronized long rows() {
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public synchronized void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Polls the outbox every 5 ms until it is empty; the milliseconds that took (-1: not within the timeout). */
    public long outboxDrainMillis(Duration timeout) {
        long start = System.nanoTime();
        try (OutboxBacklog backlog = outboxBacklog()) {
            while (System.nanoTime() - start < timeout.toNanos()) {
                if (backlog.rows() == 0) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            return -1;
        }
    }

    /** Waits until billing's and dns-service's groups have consumed mailbox.events to its end. */
    public void awaitConsumers(Duration timeout) {
        awaitGroups(timeout, List.of("billing-" + system.run(), "dns-" + system.run()));
    }

    /**
     * Waits until every group on mailbox.events, mailhost-service's too, has consumed it to its end: before
     * a phase that measures the consumers, none of them may still be working through an earlier phase.
     */
    public void awaitEveryConsumer(Duration timeout) {
        awaitGroups(timeout, List.of("billing-" + system.run(), "dns-" + system.run(), "mailhost-" + system.run()));
    }

    private void awaitGroups(Duration timeout, List<String> groups) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfrastructure.kafkaBootstrapServers());
        try (Admin admin = Admin.create(config)) {
            while (true) {
                Map<String, Long> lags = new LinkedHashMap<>();
                for (String group : groups) {
                    lags.put(group, lag(admin, group, system.eventsTopic()));
                }
                if (lags.values().stream().allMatch(lag -> lag == 0)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    // by group: says which consumer is behind (one whose channel ended stays behind for good)
                    throw new IllegalStateException("The consumers still lag after " + timeout + ", in records by group: "
                            + lags);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private static long lag(Admin admin, String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        } catch (ExecutionException e) {
            return Long.MAX_VALUE / 4; // not there yet (group or topic being created)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
