package dev.mailops.consumer;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The idempotent-consumer record. Each consuming service has the table
 * {@code processed_event (event_id uuid primary key, tenant_id, event_type, processed_at)}; marking an
 * event in the transaction that applies it makes a redelivery (same {@code ce_id}) recognisable, also
 * when two instances receive it at once: the second insert waits for the first and then finds the row.
 */
@ApplicationScoped
public class ProcessedEvents {

    @Inject
    EntityManager entityManager;
    @Inject
    Clock clock;

    /** True the first time the event is seen; false for a redelivery. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(CloudEvent event) {
        return entityManager.createNativeQuery("""
                insert into processed_event (event_id, tenant_id, event_type, processed_at) values (?1, ?2, ?3, ?4)
                on conflict (event_id) do nothing""")
                .setParameter(1, event.id())
                .setParameter(2, event.tenantId())
                .setParameter(3, event.type())
                .setParameter(4, Instant.now(clock).truncatedTo(ChronoUnit.MICROS))
                .executeUpdate() == 1;
    }
}
