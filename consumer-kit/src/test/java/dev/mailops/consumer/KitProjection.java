package dev.mailops.consumer;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * A projection of the live channel as a service writes one: exactly once by event id, a row per
 * event. A test can make the events of a subject meet a database that is away (a real connection to a
 * closed port, refused) and bring it back, or fail with an error of their own every time (as an
 * unknown rate does in billing); every attempt is noted outside the database, which a failed
 * transaction rolls back.
 */
@ApplicationScoped
public class KitProjection implements Projection {

    static final Set<String> HANDLED = Set.of("DomainAdded", "MailboxCreated");

    /** One attempt to apply an event: when, in nanoseconds of System.nanoTime. */
    public record Attempt(String subject, long nanos) {
    }

    /** Subjects whose events find the database away: a transient fault, retried until it clears. */
    static final Set<String> databaseAway = ConcurrentHashMap.newKeySet();
    /** Subjects whose events fail with an error of their own on every attempt: not transient. */
    static final Set<String> failing = ConcurrentHashMap.newKeySet();
    private static final int CLOSED_PORT = closedPort();
    /** Subjects whose events the projection finds it can never apply (data it does not know). */
    static final Set<String> poisoned = ConcurrentHashMap.newKeySet();
    static final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    @Inject
    EventConsumption consumption;
    @Inject
    ProcessedEvents processed;
    @Inject
    AppliedEvents appliedEvents;

    @Incoming("kit-events")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumption.process(batch, HANDLED, this);
    }

    @Override
    public AfterCommit apply(CloudEvent event) {
        if (poisoned.contains(event.subject())) {
            throw new PoisonRecordException("cannot apply " + event.subject());
        }
        if (!processed.firstDelivery(event)) {
            return AfterCommit.NOTHING;
        }
        attempts.add(new Attempt(event.subject(), System.nanoTime()));
        if (databaseAway.contains(event.subject())) {
            connectToTheDatabaseThatIsAway();
        }
        if (failing.contains(event.subject())) {
            throw new IllegalStateException("no rate for " + event.subject() + "\nDetail: a second line that stays out");
        }
        appliedEvents.record("live", event);
        return AfterCommit.NOTHING;
    }

    static void connectToTheDatabaseThatIsAway() {
        try (var connection = new org.postgresql.Driver().connect(
                "jdbc:postgresql://127.0.0.1:" + CLOSED_PORT + "/away?connectTimeout=5", new java.util.Properties())) {
            throw new IllegalStateException("a database answered on the closed port " + CLOSED_PORT);
        } catch (java.sql.SQLException e) {
            // wrapped as service-kit's Database wraps a failed statement
            throw new IllegalStateException("SELECT failed: Could not reach the database", e);
        }
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort(); // closed again at once: connections to it are refused
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The attempts at the subject's event, in order. */
    static List<Attempt> attemptsAt(String subject) {
        return attempts.stream().filter(attempt -> attempt.subject().equals(subject)).toList();
    }
}
