package dev.mailops.mailbox.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.kit.jdbc.Database;
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
                values (?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?)
                on conflict (stream_type, stream_id, stream_version) do nothing
                returning global_position)
            insert into outbox (global_position) select global_position from appended
            """;

    @Inject
    Database database;

    @Inject
    ObjectMapper json;

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(StreamId stream, int expectedVersion, List<MailboxEvent> events, EventMetadata metadata,
            Instant occurredAt) {
        int version = expectedVersion;
        for (MailboxEvent event : events) {
            version++;
            int inserted = database.update(APPEND, UUID.randomUUID(), stream.type(), stream.id(), version,
                    metadata.tenantId(), event.type(), event.schemaVersion(), toJson(event), metadata.correlationId(),
                    metadata.actor(), occurredAt, metadata.traceParent());
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
        return database.first("select " + StoredEvent.COLUMNS + " from event_store"
                + " where stream_type = ? and stream_id = ? order by stream_version desc limit 1",
                StoredEvent::read, stream.type(), stream.id())
                .filter(row -> row.tenantId.equals(tenantId));
    }

    public List<StoredEvent> history(StreamId stream) {
        return database.list("select " + StoredEvent.COLUMNS + " from event_store"
                + " where stream_type = ? and stream_id = ? order by stream_version", StoredEvent::read,
                stream.type(), stream.id());
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
