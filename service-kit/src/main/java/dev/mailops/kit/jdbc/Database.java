package dev.mailops.kit.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * A service's statements over its data source, one call each: inside a {@code @Transactional} method they
 * share the transaction's connection (Agroal enlists it), outside one each commits on its own. Plain JDBC
 * for a few small tables, where Hibernate ORM loaded about a fifth of a service's classes
 * (docs/performance.md). An {@link Instant} parameter is written as a {@code timestamptz}.
 */
public final class Database {

    /** Reads one row into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every row the query returns, in its order. */
    public <T> List<T> list(String sql, Row<T> row, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<T> values = new ArrayList<>();
            while (rows.next()) {
                values.add(row.read(rows));
            }
            return values;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** The first row the query returns, if any (empty too where the row reads as null). */
    public <T> Optional<T> first(String sql, Row<T> row, Object... parameters) {
        List<T> values = list(sql, row, parameters);
        return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** The single number a count query returns. */
    public long count(String sql, Object... parameters) {
        return first(sql, rows -> rows.getLong(1), parameters).orElse(0L);
    }

    /** Runs an INSERT, UPDATE or DELETE; the number of rows it changed. */
    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** Runs one INSERT, UPDATE or DELETE for each row of parameters, sent together as one JDBC batch. */
    public void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] parameters : rows) {
                bind(statement, parameters);
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** A {@code timestamptz} column as an instant; null stays null. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** {@link #instant(ResultSet, String)} by the column's position. */
    public static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            bind(statement, parameters);
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            statement.setObject(i + 1, value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value);
        }
    }

    private static IllegalStateException failed(String sql, SQLException e) {
        return new IllegalStateException(sql.strip().split("\\s", 2)[0] + " failed: " + e.getMessage(), e);
    }
}
