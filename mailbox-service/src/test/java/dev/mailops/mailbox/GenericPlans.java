package dev.mailops.mailbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;

import javax.sql.DataSource;

/**
 * The plan PostgreSQL may keep for a prepared statement from its sixth execution on: the generic plan,
 * made without the parameters' values. Setup, statistics and plan live in one transaction that is
 * rolled back, so no other test (and no relay) ever sees the rows the setup wrote.
 */
public final class GenericPlans {

    private GenericPlans() {
    }

    /**
     * Runs {@code setup} (SQL, its statements separated by semicolons; end it with the ANALYZE the plan
     * should see), then {@code EXPLAIN ANALYZE} of {@code query} on its generic plan with the arguments,
     * and returns the plan's text.
     *
     * @param query the statement as the code prepares it, its parameters {@code ?} or {@code ?1}, {@code ?2}, …
     */
    public static String explain(DataSource dataSource, String setup, String query, String... arguments) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            boolean prepared = false;
            try {
                statement.execute(setup);
                statement.execute("set local plan_cache_mode = force_generic_plan");
                statement.execute("prepare generic_plan_check as " + numbered(query));
                prepared = true;
                String values = Arrays.stream(arguments).map(value -> "'" + value.replace("'", "''") + "'")
                        .collect(Collectors.joining(", "));
                StringBuilder plan = new StringBuilder();
                try (ResultSet lines = statement.executeQuery(
                        "explain (analyze, costs off) execute generic_plan_check(" + values + ")")) {
                    while (lines.next()) {
                        plan.append(lines.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            } finally {
                connection.rollback();
                // a prepared statement belongs to the session, not to the transaction; only this one goes
                // (the pooled connection keeps the driver's own)
                if (prepared) {
                    statement.execute("deallocate generic_plan_check");
                }
                connection.setAutoCommit(true);
            }
        }
    }

    private static String numbered(String query) {
        if (query.matches("(?s).*\\?\\d.*")) {
            return query.replaceAll("\\?(\\d+)", "\\$$1");
        }
        StringBuilder numbered = new StringBuilder();
        int parameter = 0;
        for (char c : query.toCharArray()) {
            numbered.append(c == '?' ? "$" + ++parameter : String.valueOf(c));
        }
        return numbered.toString();
    }
}
