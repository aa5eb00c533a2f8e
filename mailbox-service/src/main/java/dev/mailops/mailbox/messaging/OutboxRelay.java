package dev.mailops.mailbox.messaging;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.mailops.mailbox.store.StoredEvent;

/**
 * Moves committed events from the outbox to {@code mailbox.events}. It wakes on the NOTIFY that
 * every outbox insert sends at commit (and at least every poll interval), publishes a batch in
 * position order, waits for the broker's acknowledgement of all of it, and only then deletes the
 * rows, so a crash anywhere means a re-send, never a loss.
 *
 * <p>One instance at a time is the active relay, which keeps per-tenant order: the one holding a
 * PostgreSQL session advisory lock on its listening connection. The others stand by and take over
 * when that connection ends (the server then drops the lock). The relay works on that one connection
 * in autocommit, outside JTA: a Kafka send must not run inside a transaction, whose context the
 * messaging layer would carry to its own threads (Narayana then refuses the commit).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String CHANNEL = "mailbox_outbox";
    /** Any constant works; it only has to be the same in every instance of the service. */
    private static final long RELAY_LOCK_KEY = 0x6d61696c626f78L;
    private static final String BATCH = """
            select e.global_position, e.event_id, e.stream_type, e.stream_id, e.stream_version, e.tenant_id,
                   e.event_type, e.schema_version, e.payload::text, e.correlation_id, e.actor, e.occurred_at,
                   e.trace_parent
              from outbox o join event_store e on e.global_position = o.global_position
             order by o.global_position limit ?""";

    @Inject
    @Channel("mailbox-events")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "mailbox.outbox.batch-size", defaultValue = "500")
    int batchSize;

    @ConfigProperty(name = "mailbox.outbox.poll-interval", defaultValue = "PT1S")
    Duration pollInterval;

    @ConfigProperty(name = "mailbox.outbox.send-timeout", defaultValue = "PT30S")
    Duration sendTimeout;

    @ConfigProperty(name = "mailbox.events.source", defaultValue = "/mailops/mailbox-service")
    URI source;

    @ConfigProperty(name = "mailbox.outbox.enabled", defaultValue = "true")
    boolean enabled;

    private volatile boolean running;
    private Thread worker;

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.start();
    }

    /** Stops after the batch in flight; unpublished events stay in the outbox for the next start. */
    public synchronized void stop() {
        running = false;
        if (worker != null) {
            try {
                worker.join(pollInterval.plus(sendTimeout).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                execute(connection, "LISTEN " + CHANNEL);
                try {
                    PGConnection notifications = connection.unwrap(PGConnection.class);
                    boolean active = false;
                    while (running) {
                        active = active || tryLock(connection);
                        if (!active || publishBatch(connection) < batchSize) {
                            notifications.getNotifications((int) pollInterval.toMillis());
                        }
                    }
                } finally {
                    // The connection goes back to the pool: no listening, no lock.
                    execute(connection, "UNLISTEN *");
                    execute(connection, "select pg_advisory_unlock_all()");
                }
            } catch (Exception e) {
                LOG.warnf(e, "Outbox relay failed; retrying in %s", pollInterval);
                meters.counter("mailbox.outbox.failures").increment();
                pause();
            }
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            lock.setLong(1, RELAY_LOCK_KEY);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /** Publishes one batch and deletes it once the broker has all of it; returns how many events that was. */
    int publishBatch(Connection connection) throws SQLException {
        List<StoredEvent> batch = readBatch(connection);
        if (batch.isEmpty()) {
            return 0;
        }
        List<Uni<Void>> sends = batch.stream()
                .map(event -> emitter.sendMessage(CloudEvents.toMessage(event, source)))
                .toList();
        // Wait for every send to settle, so that a failed batch leaves nothing in flight that could
        // land after a retry (the producer's delivery.timeout.ms is shorter than sendTimeout).
        Uni.join().all(sends).andCollectFailures().await().atMost(sendTimeout);
        try (PreparedStatement delete = connection.prepareStatement("delete from outbox where global_position = any(?)")) {
            delete.setArray(1, connection.createArrayOf("bigint",
                    batch.stream().map(event -> event.globalPosition).toArray(Long[]::new)));
            delete.executeUpdate();
        }
        meters.counter("mailbox.outbox.published").increment(batch.size());
        return batch.size();
    }

    private List<StoredEvent> readBatch(Connection connection) throws SQLException {
        List<StoredEvent> batch = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(BATCH)) {
            select.setInt(1, batchSize);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    StoredEvent event = new StoredEvent();
                    event.globalPosition = rows.getLong(1);
                    event.eventId = rows.getObject(2, java.util.UUID.class);
                    event.streamType = rows.getString(3);
                    event.streamId = rows.getString(4);
                    event.streamVersion = rows.getInt(5);
                    event.tenantId = rows.getString(6);
                    event.eventType = rows.getString(7);
                    event.schemaVersion = rows.getInt(8);
                    event.payload = rows.getString(9);
                    event.correlationId = rows.getString(10);
                    event.actor = rows.getString(11);
                    event.occurredAt = rows.getObject(12, OffsetDateTime.class).toInstant();
                    event.traceParent = rows.getString(13);
                    batch.add(event);
                }
            }
        }
        return batch;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
