package dev.mailops.outbox;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An outbox of whole events, for a service whose events are not kept anywhere else: {@link #append}
 * writes the event in the caller's transaction (the datasource's connection is enlisted in it), so
 * it commits or rolls back with the change it describes. The table is created by the service's own
 * migration (see this module's README) with a trigger that NOTIFYs {@link #notifyChannel()}.
 *
 * <p>A service's events go to its table {@code outbox}, keyed by tenant. A further outbox of the
 * service has a table of its own and may key its records by subject, for a compacted topic; such a
 * table allows a null payload, for tombstones.
 */
public final class OutboxTable implements OutboxSource {

    /** What the records of an outbox are keyed by; the table does not store the key. */
    public enum RecordKey {
        /** The tenant: its events stay in order on one partition. */
        TENANT,
        /** The subject: a compacted topic keeps the latest record of each. */
        SUBJECT
    }

    private static final TypeReference<Map<String, Object>> EXTENSIONS = new TypeReference<>() {
    };
    private static final String INSERT = """
            insert into %s (event_id, event_type, data_schema, subject, tenant_id, occurred_at, extensions,
                                payload, trace_parent)
            values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)""";
    private static final String OLDEST = """
            select position, event_id, event_type, data_schema, subject, tenant_id, occurred_at, extensions::text,
                   payload, trace_parent
              from %s order by position limit ?""";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final String table;
    private final String notifyChannel;
    private final RecordKey recordKey;

    /** A service's table {@code outbox}, keyed by tenant. */
    public OutboxTable(DataSource dataSource, ObjectMapper json, String notifyChannel) {
        this(dataSource, json, "outbox", notifyChannel, RecordKey.TENANT);
    }

    public OutboxTable(DataSource dataSource, ObjectMapper json, String table, String notifyChannel,
            RecordKey recordKey) {
        if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain table name: " + table);
        }
        this.dataSource = dataSource;
        this.json = json;
        this.table = table;
        this.notifyChannel = notifyChannel;
        this.recordKey = recordKey;
    }

    /** Writes the event in the transaction of the caller, who must have one. */
    public void append(OutgoingEvent event) {
        if (!event.key().equals(keyOf(event.subject(), event.tenantId()))) {
            throw new IllegalArgumentException("The records of " + table + " are keyed by " + recordKey
                    + "; " + event.type() + " " + event.id() + " has another key");
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT.formatted(table))) {
            insert.setObject(1, event.id());
            insert.setString(2, event.type());
            insert.setString(3, event.dataSchema().toString());
            insert.setString(4, event.subject());
            insert.setString(5, event.tenantId());
            insert.setTimestamp(6, Timestamp.from(event.time()));
            insert.setString(7, json.writeValueAsString(event.extensions()));
            if (event.isTombstone()) {
                insert.setNull(8, Types.VARCHAR);
            } else {
                insert.setString(8, event.data());
            }
            if (event.traceParent() == null) {
                insert.setNull(9, Types.VARCHAR);
            } else {
                insert.setString(9, event.traceParent());
            }
            insert.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + event.type() + " " + event.id() + " to " + table, e);
        }
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public String notifyChannel() {
        return notifyChannel;
    }

    @Override
    public List<Pending> oldest(Connection connection, int limit) throws SQLException {
        List<Pending> batch = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(OLDEST.formatted(table))) {
            select.setInt(1, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String subject = rows.getString(5);
                    String tenantId = rows.getString(6);
                    batch.add(new Pending(rows.getLong(1), new OutgoingEvent(
                            rows.getObject(2, UUID.class), rows.getString(3), URI.create(rows.getString(4)),
                            subject, tenantId, rows.getObject(7, OffsetDateTime.class).toInstant(),
                            extensions(rows.getString(8)), rows.getString(9), rows.getString(10),
                            keyOf(subject, tenantId))));
                }
            }
        }
        return batch;
    }

    @Override
    public void remove(Connection connection, List<Pending> published) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from " + table + " where position = any(?)")) {
            delete.setArray(1, connection.createArrayOf("bigint",
                    published.stream().map(Pending::position).toArray(Long[]::new)));
            delete.executeUpdate();
        }
    }

    private String keyOf(String subject, String tenantId) {
        return recordKey == RecordKey.SUBJECT ? subject : tenantId;
    }

    private Map<String, Object> extensions(String value) {
        try {
            return json.readValue(value, EXTENSIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable outbox extensions " + value, e);
        }
    }
}
