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
 */
public final class OutboxTable implements OutboxSource {

    private static final TypeReference<Map<String, Object>> EXTENSIONS = new TypeReference<>() {
    };
    private static final String INSERT = """
            insert into outbox (event_id, event_type, data_schema, subject, tenant_id, occurred_at, extensions,
                                payload, trace_parent)
            values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)""";
    private static final String OLDEST = """
            select position, event_id, event_type, data_schema, subject, tenant_id, occurred_at, extensions::text,
                   payload, trace_parent
              from outbox order by position limit ?""";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final String notifyChannel;

    public OutboxTable(DataSource dataSource, ObjectMapper json, String notifyChannel) {
        this.dataSource = dataSource;
        this.json = json;
        this.notifyChannel = notifyChannel;
    }

    /** Writes the event in the transaction of the caller, who must have one. */
    public void append(OutgoingEvent event) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, event.id());
            insert.setString(2, event.type());
            insert.setString(3, event.dataSchema().toString());
            insert.setString(4, event.subject());
            insert.setString(5, event.tenantId());
            insert.setTimestamp(6, Timestamp.from(event.time()));
            insert.setString(7, json.writeValueAsString(event.extensions()));
            insert.setString(8, event.data());
            if (event.traceParent() == null) {
                insert.setNull(9, Types.VARCHAR);
            } else {
                insert.setString(9, event.traceParent());
            }
            insert.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + event.type() + " " + event.id() + " to the outbox", e);
        }
    }

    @Override
    public String notifyChannel() {
        return notifyChannel;
    }

    @Override
    public List<Pending> oldest(Connection connection, int limit) throws SQLException {
        List<Pending> batch = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(OLDEST)) {
            select.setInt(1, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    batch.add(new Pending(rows.getLong(1), new OutgoingEvent(
                            rows.getObject(2, UUID.class), rows.getString(3), URI.create(rows.getString(4)),
                            rows.getString(5), rows.getString(6), rows.getObject(7, OffsetDateTime.class).toInstant(),
                            extensions(rows.getString(8)), rows.getString(9), rows.getString(10))));
                }
            }
        }
        return batch;
    }

    @Override
    public void remove(Connection connection, List<Pending> published) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from outbox where position = any(?)")) {
            delete.setArray(1, connection.createArrayOf("bigint",
                    published.stream().map(Pending::position).toArray(Long[]::new)));
            delete.executeUpdate();
        }
    }

    private Map<String, Object> extensions(String value) {
        try {
            return json.readValue(value, EXTENSIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable outbox extensions " + value, e);
        }
    }
}
