package dev.mailops.mailbox.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.mailbox.domain.event.MailboxEvent;

/**
 * Appends events to their stream with optimistic concurrency, and queues each one in the outbox in
 * the same statement, so an event is stored if and only if it will be published.
 */
@ApplicationScoped
public class EventStore {

    /** A stream as loaded: its events in order. */
    public record Stream(List<MailboxEvent> events) {
    }

    private static final String APPEND = """
            with appended as (
                insert into event_store (event_id, stream_type, stream_id, stream_version, tenant_id, event_type,
                                         schema_version, payload, correlation_id, actor, occurred_at, trace_parent)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, cast(?8 as jsonb), ?9, ?10, ?11, ?12)
                on conflict (stream_type, stream_id, stream_version) do nothing
                returning global_position)
            insert into outbox (global_position) select global_position from appended
            """;

    @Inject
    EntityManager entityManager;

    @Inject
    ObjectMapper json;

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(StreamId stream, int expectedVersion, List<MailboxEvent> events, EventMetadata metadata,
            Instant occurredAt) {
        int version = expectedVersion;
        for (MailboxEvent event : events) {
            version++;
            int inserted = entityManager.createNativeQuery(APPEND)
                    .setParameter(1, UUID.randomUUID())
                    .setParameter(2, stream.type())
                    .setParameter(3, stream.id())
                    .setParameter(4, version)
                    .setParameter(5, metadata.tenantId())
                    .setParameter(6, event.type())
                    .setParameter(7, event.schemaVersion())
                    .setParameter(8, toJson(event))
                    .setParameter(9, metadata.correlationId())
                    .setParameter(10, metadata.actor())
                    .setParameter(11, occurredAt)
                    .setParameter(12, metadata.traceParent())
                    .executeUpdate();
            if (inserted != 1) {
                throw new StreamConflictException(stream, version - 1);
            }
        }
    }

    /** The stream's events, or empty when the stream does not exist or belongs to another tenant. */
    public Optional<Stream> load(StreamId stream, String tenantId) {
        List<StoredEvent> rows = history(stream);
        if (rows.isEmpty() || !rows.get(0).tenantId.equals(tenantId)) {
            return Optional.empty();
        }
        return Optional.of(new Stream(rows.stream().map(this::toEvent).toList()));
    }

    /** The stream's last event, or empty when the stream does not exist or belongs to another tenant. */
    public Optional<StoredEvent> last(StreamId stream, String tenantId) {
        return entityManager.createQuery(
                "from StoredEvent e where e.streamType = :type and e.streamId = :id order by e.streamVersion desc",
                StoredEvent.class)
                .setParameter("type", stream.type())
                .setParameter("id", stream.id())
                .setMaxResults(1)
                .getResultStream()
                .filter(row -> row.tenantId.equals(tenantId))
                .findFirst();
    }

    public List<StoredEvent> history(StreamId stream) {
        return entityManager.createQuery("""
                from StoredEvent e where e.streamType = :type and e.streamId = :id order by e.streamVersion""",
                StoredEvent.class)
                .setParameter("type", stream.type())
                .setParameter("id", stream.id())
                .getResultList();
    }

    public MailboxEvent toEvent(StoredEvent row) {
        try {
            return json.readValue(row.payload, MailboxEvent.classOf(row.eventType));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored event " + row.eventId + " cannot be read as " + row.eventType, e);
        }
    }

    private String toJson(MailboxEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + event.type(), e);
        }
    }
}
