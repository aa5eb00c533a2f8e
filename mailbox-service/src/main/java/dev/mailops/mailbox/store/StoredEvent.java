package dev.mailops.mailbox.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import dev.mailops.kit.jdbc.Database;

/** One row of the event store. Rows are only ever inserted (see {@link EventStore#append}). */
public class StoredEvent {
    public long globalPosition;
    public UUID eventId;
    public String streamType;
    public String streamId;
    public int streamVersion;
    public String tenantId;
    public String eventType;
    public int schemaVersion;
    public String payload;
    public String correlationId;
    public String actor;
    public Instant occurredAt;
    public String traceParent;

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "global_position, event_id, stream_type, stream_id, stream_version, tenant_id,"
            + " event_type, schema_version, payload, correlation_id, actor, occurred_at, trace_parent";

    static StoredEvent read(ResultSet row) throws SQLException {
        StoredEvent event = new StoredEvent();
        event.globalPosition = row.getLong("global_position");
        event.eventId = row.getObject("event_id", UUID.class);
        event.streamType = row.getString("stream_type");
        event.streamId = row.getString("stream_id");
        event.streamVersion = row.getInt("stream_version");
        event.tenantId = row.getString("tenant_id");
        event.eventType = row.getString("event_type");
        event.schemaVersion = row.getInt("schema_version");
        event.payload = row.getString("payload");
        event.correlationId = row.getString("correlation_id");
        event.actor = row.getString("actor");
        event.occurredAt = Database.instant(row, "occurred_at");
        event.traceParent = row.getString("trace_parent");
        return event;
    }
}
