package dev.mailops.consumer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * A projection of the live channel as a service writes one: exactly once by event id, a row per
 * event. A test can make it refuse the events of a subject (as a database or broker that is down
 * would) and release them again; every attempt is noted outside the database, which a failed
 * transaction rolls back.
 */
@ApplicationScoped
public class KitProjection implements Projection {

    static final Set<String> HANDLED = Set.of("DomainAdded", "MailboxCreated");

    /** One attempt to apply an event: when, in nanoseconds of System.nanoTime. */
    public record Attempt(String subject, long nanos) {
    }

    static final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Subjects whose events the projection finds it can never apply (data it does not know). */
    static final Set<String> poisoned = ConcurrentHashMap.newKeySet();
    static final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    @Inject
    EventConsumption consumption;
    @Inject
    ProcessedEvents processed;
    @Inject
    EntityManager entityManager;

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
        if (refused.contains(event.subject())) {
            throw new IllegalStateException("refused " + event.subject());
        }
        record(entityManager, "live", event);
        return AfterCommit.NOTHING;
    }

    static void record(EntityManager entityManager, String projection, CloudEvent event) {
        AppliedEvent row = new AppliedEvent();
        row.eventId = event.id();
        row.projection = projection;
        row.tenantId = event.tenantId();
        row.subject = event.subject();
        row.transactionId = ((Number) entityManager.createNativeQuery("select txid_current()").getSingleResult())
                .longValue();
        entityManager.persist(row);
    }

    /** The attempts at the subject's event, in order. */
    static List<Attempt> attemptsAt(String subject) {
        return attempts.stream().filter(attempt -> attempt.subject().equals(subject)).toList();
    }

    /** The live projection's rows of a tenant, in the order they were applied: subject to transaction. */
    static Map<String, Long> applied(EntityManager entityManager, String tenant) {
        Map<String, Long> rows = new java.util.LinkedHashMap<>();
        entityManager.createQuery("from AppliedEvent where projection = 'live' and tenantId = ?1 order by id",
                AppliedEvent.class).setParameter(1, tenant).getResultList()
                .forEach(row -> rows.put(row.subject, row.transactionId));
        return rows;
    }
}
