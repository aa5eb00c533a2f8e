package dev.mailops.consumer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What the test projections write per event (table {@code applied_event}): in which order and in which
 * PostgreSQL transaction it was applied. Plain JDBC on the data source: inside a transaction the
 * statements run on its connection, as the services' own do.
 */
@ApplicationScoped
public class AppliedEvents {

    @Inject
    DataSource dataSource;

    /** Records the event as applied by the projection, in the caller's transaction. */
    public void record(String projection, CloudEvent event) {
        update("insert into applied_event (event_id, projection, tenant_id, subject, transaction_id)"
                + " values (?, ?, ?, ?, txid_current())", event.id(), projection, event.tenantId(), event.subject());
    }

    public void forget(String projection) {
        update("delete from applied_event where projection = ?", projection);
    }

    /** The live projection's rows of a tenant, in the order they were applied: subject to transaction. */
    public Map<String, Long> applied(String tenant) {
        Map<String, Long> rows = new LinkedHashMap<>();
        query("select subject, transaction_id from applied_event where projection = 'live' and tenant_id = ? order by id",
                row -> rows.put(row.getString(1), row.getLong(2)), tenant);
        return rows;
    }

    /** The projection's subjects, in the order they were applied. */
    public List<String> subjects(String projection) {
        List<String> subjects = new ArrayList<>();
        query("select subject from applied_event where projection = ? order by id", row -> subjects.add(row.getString(1)),
                projection);
        return subjects;
    }

    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    private void query(String sql, RowReader reader, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepared(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                reader.read(rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepared(connection, sql, parameters)) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static PreparedStatement prepared(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
