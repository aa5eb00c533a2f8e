package dev.mailops.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Moves committed events from a service's outbox to its topic. It wakes on the NOTIFY that every
 * outbox insert sends at commit (and at least every poll interval), publishes a batch in position
 * order, waits for the broker's acknowledgement of all of it, and only then deletes the rows, so a
 * crash anywhere means a re-send (with the same CloudEvent id), never a loss. Its producer keeps every
 * record until the broker has it, so what reaches the topic of a producer is, per partition, always a
 * prefix of what it was given: a re-send can double an event but never put one before its predecessor.
 *
 * <p>One instance at a time is the active relay, which keeps per-tenant order: the one holding a
 * PostgreSQL session advisory lock on its listening connection. The others stand by and take over
 * when that connection ends (the server then drops the lock). The relay works on that one connection
 * in autocommit, outside JTA: a Kafka send must not run inside a transaction, whose context the
 * messaging layer would carry to its own threads (Narayana then refuses the commit).
 *
 * <p>Metrics, tagged with {@code service} (the outbox's name): {@code outbox.published},
 * {@code outbox.failures}, and the gauges {@code outbox.backlog} and {@code outbox.oldest.age.seconds},
 * read from the source's table (and its {@code enqueued_at}) at scrape time, so every instance reports
 * the truth.
 */
public final class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String SERVICE_TAG = "service";

    private final OutboxSource source;
    private final MutinyEmitter<String> emitter;
    private final DataSource dataSource;
    private final MeterRegistry meters;
    private final OutboxSettings settings;

    private volatile boolean running;
    private Thread worker;

    public OutboxRelay(OutboxSource source, MutinyEmitter<String> emitter, DataSource dataSource, MeterRegistry meters,
            OutboxSettings settings) {
        this.source = source;
        this.emitter = emitter;
        this.dataSource = dataSource;
        this.meters = meters;
        this.settings = settings;
        Gauge.builder("outbox.backlog", this, relay -> relay.query("select count(*) from " + source.table()))
                .description("Committed events waiting for the relay")
                .tag(SERVICE_TAG, settings.name())
                .register(meters);
        Gauge.builder("outbox.oldest.age.seconds", this, relay -> relay.query(
                "select coalesce(extract(epoch from now() - min(enqueued_at)), 0) from " + source.table()))
                .description("Age of the oldest unpublished event")
                .tag(SERVICE_TAG, settings.name())
                .register(meters);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, settings.name() + "-outbox-relay");
        worker.start();
    }

    /** Stops after the batch in flight; unpublished events stay in the outbox for the next start. */
    public synchronized void stop() {
        running = false;
        if (worker != null) {
            wakeUp();
            try {
                worker.join(settings.pollInterval().plus(settings.sendTimeout()).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    /** A worker waiting for notifications would otherwise sleep out its poll interval before it sees the stop. */
    private void wakeUp() {
        try (Connection connection = dataSource.getConnection()) {
            execute(connection, "NOTIFY " + source.notifyChannel());
        } catch (SQLException e) {
            LOG.debugf(e, "Could not wake the outbox relay of %s; it stops within its poll interval", settings.name());
        }
    }

    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                execute(connection, "LISTEN " + source.notifyChannel());
                try {
                    PGConnection notifications = connection.unwrap(PGConnection.class);
                    boolean active = false;
                    while (running) {
                        active = active || tryLock(connection);
                        if (!active || publishBatch(connection) < settings.batchSize()) {
                            notifications.getNotifications((int) settings.pollInterval().toMillis());
                        }
                    }
                } finally {
                    // The connection goes back to the pool: no listening, no lock.
                    execute(connection, "UNLISTEN *");
                    execute(connection, "select pg_advisory_unlock_all()");
                }
            } catch (Exception e) {
                LOG.warnf(e, "Outbox relay of %s failed; retrying in %s", settings.name(), settings.pollInterval());
                meters.counter("outbox.failures", SERVICE_TAG, settings.name()).increment();
                pause();
            }
        }
    }

    private boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            lock.setLong(1, settings.lockKey());
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /** Publishes one batch and deletes it once the broker has all of it; returns how many events that was. */
    int publishBatch(Connection connection) throws SQLException {
        List<OutboxSource.Pending> batch = source.oldest(connection, settings.batchSize());
        if (batch.isEmpty()) {
            return 0;
        }
        List<Uni<Void>> sends = batch.stream()
                .map(pending -> emitter.sendMessage(CloudEventMessages.toMessage(pending.event(), settings.source())))
                .toList();
        awaitSettled(Uni.join().all(sends).andCollectFailures().subscribeAsCompletionStage().toCompletableFuture());
        source.remove(connection, batch);
        meters.counter("outbox.published", SERVICE_TAG, settings.name()).increment(batch.size());
        return batch.size();
    }

    /**
     * Waits until the broker has the whole batch. The relay's producers keep every record until the broker
     * takes it (no delivery deadline), so while the broker is away this waits too, rather than sending
     * the batch again behind itself; a failure is the producer's for good, and the batch is then retried.
     */
    private void awaitSettled(CompletableFuture<?> sends) {
        while (true) {
            try {
                sends.get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException notYet) {
                if (!running) {
                    throw new IllegalStateException("Stopped with a batch in flight; it is sent again at the next start");
                }
                LOG.warnf("The broker has not acknowledged a batch of %s within %s; still waiting", settings.name(),
                        settings.sendTimeout());
            } catch (ExecutionException failed) {
                throw new IllegalStateException("A batch of " + settings.name() + " failed", failed.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private double query(String sql) {
        try (var connection = dataSource.getConnection();
             var statement = connection.createStatement();
             var result = statement.executeQuery(sql)) {
            return result.next() ? result.getDouble(1) : Double.NaN;
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void pause() {
        try {
            Thread.sleep(settings.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
