package dev.mailops.mailbox.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of the event store. Rows are only ever inserted (see {@link EventStore#append}). */
@Entity
@Immutable
@Table(name = "event_store")
public class StoredEvent {
    @Id
    @Column(name = "global_position")
    public long globalPosition;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    @Column(name = "stream_type", nullable = false, length = 32)
    public String streamType;

    @Column(name = "stream_id", nullable = false, length = 300)
    public String streamId;

    @Column(name = "stream_version", nullable = false)
    public int streamVersion;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "event_type", nullable = false, length = 64)
    public String eventType;

    @Column(name = "schema_version", nullable = false)
    public int schemaVersion;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "payload", nullable = false)
    public String payload;

    @Column(name = "correlation_id", length = 128)
    public String correlationId;

    @Column(name = "actor", length = 128)
    public String actor;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "trace_parent", length = 55)
    public String traceParent;
}
