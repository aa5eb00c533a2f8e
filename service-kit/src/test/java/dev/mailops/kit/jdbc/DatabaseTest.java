package dev.mailops.kit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.mailops.testinfra.TestInfrastructure;

/** The statements on the tests' real PostgreSQL: parameters, instants, empty answers and failures. */
class DatabaseTest {

    record Row(String name, Instant at, String note) {
    }

    private static Database database;

    @BeforeAll
    static void connect() {
        TestInfrastructure.ensureDatabase("service_kit_test");
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(TestInfrastructure.jdbcUrl("service_kit_test"));
        pg.setUser(TestInfrastructure.pgUser());
        pg.setPassword(TestInfrastructure.pgPassword());
        database = new Database(pg);
        database.update("CREATE TABLE IF NOT EXISTS kit_row (name text PRIMARY KEY, at timestamptz, note text)");
    }

    @BeforeEach
    void empty() {
        database.update("TRUNCATE kit_row");
    }

    private static Row read(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Row(row.getString("name"), Database.instant(row, "at"), row.getString("note"));
    }

    @Test
    void anInstantGoesInAndComesBackToTheMicrosecondAndANullStaysNull() {
        Instant at = Instant.parse("2026-12-04T10:15:30.123456Z");
        assertThat(database.update("INSERT INTO kit_row (name, at, note) VALUES (?, ?, ?)", "a", at, null)).isEqualTo(1);
        assertThat(database.update("INSERT INTO kit_row (name, at, note) VALUES (?, ?, ?)", "b", null, "x")).isEqualTo(1);

        assertThat(database.list("SELECT name, at, note FROM kit_row ORDER BY name", DatabaseTest::read))
                .containsExactly(new Row("a", at, null), new Row("b", null, "x"));
        assertThat(database.count("SELECT count(*) FROM kit_row WHERE at = ?", at)).isEqualTo(1);
        // the session's time zone plays no part: the instant is compared as an instant
        assertThat(database.count("SELECT count(*) FROM kit_row WHERE at = '2026-12-04 11:15:30.123456+01'")).isEqualTo(1);
    }

    @Test
    void firstIsEmptyWithoutARowOrWhereTheRowReadsAsNull() {
        database.update("INSERT INTO kit_row (name, at, note) VALUES (?, ?, ?)", "a", null, null);

        assertThat(database.first("SELECT note FROM kit_row WHERE name = ?", row -> row.getString(1), "none")).isEmpty();
        assertThat(database.first("SELECT note FROM kit_row WHERE name = ?", row -> row.getString(1), "a")).isEmpty();
        assertThat(database.first("SELECT name FROM kit_row WHERE name = ?", row -> row.getString(1), "a"))
                .isEqualTo(Optional.of("a"));
        assertThat(database.count("SELECT count(*) FROM kit_row WHERE name = ?", "none")).isZero();
    }

    @Test
    void anUpdateCountsTheRowsItChangedAndAConflictIgnoredChangesNone() {
        database.update("INSERT INTO kit_row (name) VALUES (?)", "a");

        assertThat(database.update("INSERT INTO kit_row (name) VALUES (?) ON CONFLICT (name) DO NOTHING", "a")).isZero();
        assertThat(database.update("UPDATE kit_row SET note = ? WHERE name = ?", "n", "a")).isEqualTo(1);
        assertThat(database.update("UPDATE kit_row SET note = ? WHERE name = ?", "n", "b")).isZero();
    }

    @Test
    void aBatchRunsTheStatementForEachRowAndAnArrayIsAParameter() {
        database.batch("INSERT INTO kit_row (name, at) VALUES (?, ?)", java.util.List.of(
                new Object[] { "a", Instant.EPOCH }, new Object[] { "b", null }, new Object[] { "c", Instant.EPOCH }));
        database.batch("INSERT INTO kit_row (name) VALUES (?)", java.util.List.of());

        assertThat(database.list("SELECT name FROM kit_row WHERE name = ANY (?) ORDER BY name", row -> row.getString(1),
                (Object) new String[] { "a", "c", "x" })).containsExactly("a", "c");
        assertThat(database.count("SELECT count(*) FROM kit_row WHERE at = ?", Instant.EPOCH)).isEqualTo(2);
    }

    @Test
    void aFailedStatementSaysWhichKindFailedAndKeepsTheCause() {
        database.update("INSERT INTO kit_row (name) VALUES (?)", "a");

        assertThatThrownBy(() -> database.update("INSERT INTO kit_row (name) VALUES (?)", "a"))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("INSERT failed")
                .hasCauseInstanceOf(java.sql.SQLException.class);
        assertThatThrownBy(() -> database.list("SELECT nothing FROM kit_row", DatabaseTest::read))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("SELECT failed");
    }
}
