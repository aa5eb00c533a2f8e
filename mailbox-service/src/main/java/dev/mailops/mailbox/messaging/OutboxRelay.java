package dev.mailops.mailbox.messaging;

import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.mailops.mailbox.store.StoredEvent;

/**
 * Moves committed events from the outbox to {@code mailbox.events}. It wakes on the NOTIFY that
 * every outbox insert sends at commit (and at least every poll interval), publishes a batch in
 * position order, waits for the broker's acknowledgement of all of it, and only then deletes the
 * rows, so a crash anywhere means a re-send, never a loss. A PostgreSQL advisory lock makes one
 * instance the active relay at a time; the others stand by, which keeps per-tenant order.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String CHANNEL = "mailbox_outbox";
    /** Any constant works; it only has to be the same in every instance of the service. */
    private static final long RELAY_LOCK_KEY = 0x6d61696c626f78L;

    @Inject
    @Channel("mailbox-events")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EntityManager entityManager;

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
            try (Connection listener = dataSource.getConnection()) {
                try (Statement listen = listener.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                try {
                    PGConnection notifications = listener.unwrap(PGConnection.class);
                    while (running) {
                        if (publishBatch() < batchSize) {
                            notifications.getNotifications((int) pollInterval.toMillis());
                        }
                    }
                } finally {
                    try (Statement unlisten = listener.createStatement()) {
                        unlisten.execute("UNLISTEN *"); // the connection goes back to the pool
                    }
                }
            } catch (Exception e) {
                LOG.warnf(e, "Outbox relay failed; retrying in %s", pollInterval);
                meters.counter("mailbox.outbox.failures").increment();
                pause();
            }
        }
    }

    /** Publishes one batch; returns how many events it published (0 when another instance is active). */
    int publishBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Boolean active = (Boolean) entityManager.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                    .setParameter(1, RELAY_LOCK_KEY)
                    .getSingleResult();
            if (!active) {
                return 0;
            }
            @SuppressWarnings("unchecked")
            List<StoredEvent> batch = entityManager.createNativeQuery("""
                    select e.* from outbox o join event_store e on e.global_position = o.global_position
                    order by o.global_position limit ?1""", StoredEvent.class)
                    .setParameter(1, batchSize)
                    .getResultList();
            if (batch.isEmpty()) {
                return 0;
            }
            List<Uni<Void>> sends = batch.stream()
                    .map(event -> emitter.sendMessage(CloudEvents.toMessage(event, source)))
                    .toList();
            // Wait for every send to settle, so that a failed batch leaves nothing in flight that could
            // land after a retry (the producer's delivery.timeout.ms is shorter than sendTimeout).
            Uni.join().all(sends).andCollectFailures().await().atMost(sendTimeout);
            entityManager.createNativeQuery("delete from outbox where global_position in (?1)")
                    .setParameter(1, batch.stream().map(event -> event.globalPosition).toList())
                    .executeUpdate();
            meters.counter("mailbox.outbox.published").increment(batch.size());
            return batch.size();
        });
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
