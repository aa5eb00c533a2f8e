package dev.mailops.testinfra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * How the tests reach Kafka and PostgreSQL, whichever path provides them ({@link TestInfrastructure}):
 * the same settings, so no test and no service behaves differently because of the path.
 *
 * @param path what provides them, for the log: local processes or Testcontainers
 */
public record InfrastructureSettings(String path, String kafkaBootstrapServers, String pgHost, int pgPort,
        String pgUser, String pgPassword) {

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }

    /** What a Quarkus service needs to run on this infrastructure with its own database. */
    public Map<String, String> serviceProperties(String database) {
        return Map.of(
                "kafka.bootstrap.servers", kafkaBootstrapServers,
                "quarkus.datasource.jdbc.url", jdbcUrl(database),
                "quarkus.datasource.username", pgUser,
                "quarkus.datasource.password", pgPassword);
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), pgUser, pgPassword);
    }

    /**
     * Deletes a test run's own topics: those whose names start with {@code runPrefix} (e.g. {@code gw-1a2b3c4d.}).
     * The local broker is shared by every run and by {@code ./mailops up}, and its restart recovers every
     * partition it holds, so a run leaves none of its topics behind. Best effort: a broker that does not
     * answer keeps them, with a warning.
     */
    public void deleteTopics(String runPrefix) {
        if (!runPrefix.matches("[a-z]+[a-z.-]*-?[0-9a-f]{8}\\.")) {
            throw new IllegalArgumentException("Not a run's topic prefix: " + runPrefix);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(topic -> topic.startsWith(runPrefix)).collect(Collectors.toSet());
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("The topics " + runPrefix + "* stay on the broker: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates the database on the server unless it exists. */
    public void ensureDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        try (Connection connection = connect("postgres");
             var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            if (!exists.executeQuery().next()) {
                try (var create = connection.createStatement()) {
                    create.execute("create database " + database);
                }
            }
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // a parallel run created it first
                throw new IllegalStateException("Could not create test database " + database, e);
            }
        }
    }
}
