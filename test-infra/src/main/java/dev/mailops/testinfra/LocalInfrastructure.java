package dev.mailops.testinfra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real Kafka broker and PostgreSQL server the tests talk to, started once per machine by the
 * project's own scripts ({@code infra/infra.sh start} is idempotent) and shared by every test class
 * of every module. Each service gets its own test database, created on first use.
 *
 * <p>Configure it with the same variables as the scripts ({@code MAILOPS_KAFKA_PORT},
 * {@code MAILOPS_PG_PORT}, {@code MAILOPS_PG_USER}, {@code MAILOPS_PG_PASSWORD}); pass
 * {@code database} as an init argument to name the service's test database.
 */
public class LocalInfrastructure implements QuarkusTestResourceLifecycleManager {

    private static final Object START_LOCK = new Object();
    private static boolean started;

    private String database = "mailops_test";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        ensureStarted();
        ensureDatabase(database);
        return Map.of(
                "kafka.bootstrap.servers", kafkaBootstrapServers(),
                "quarkus.datasource.jdbc.url", jdbcUrl(database),
                "quarkus.datasource.username", pgUser(),
                "quarkus.datasource.password", pgPassword());
    }

    @Override
    public void stop() {
        // Shared infrastructure outlives a test class; `infra/infra.sh stop` ends it.
    }

    public static String kafkaBootstrapServers() {
        return "127.0.0.1:" + env("MAILOPS_KAFKA_PORT", "19092");
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + pgPort() + "/" + database;
    }

    public static int pgPort() {
        return Integer.parseInt(env("MAILOPS_PG_PORT", "15432"));
    }

    public static String pgUser() {
        return env("MAILOPS_PG_USER", "mailops");
    }

    public static String pgPassword() {
        return env("MAILOPS_PG_PASSWORD", "mailops");
    }

    /** Runs the idempotent start script once per JVM: a no-op when CI or a developer already started it. */
    public static void ensureStarted() {
        synchronized (START_LOCK) {
            if (started) {
                return;
            }
            Path script = repositoryRoot().resolve("infra/infra.sh");
            try {
                Process process = new ProcessBuilder("bash", script.toString(), "start")
                        .inheritIO()
                        .start();
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(script + " start did not finish within 5 minutes");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(script + " start failed with exit code " + process.exitValue());
                }
            } catch (IOException e) {
                throw new IllegalStateException("Could not run " + script, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting the infrastructure", e);
            }
            started = true;
        }
    }

    /** Creates the database on the shared server unless it exists. */
    public static void ensureDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), pgUser(), pgPassword());
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

    /** The repository root: the build passes it; otherwise the nearest parent holding the scripts. */
    public static Path repositoryRoot() {
        String configured = System.getProperty("mailops.repo.dir");
        if (configured != null && Files.exists(Path.of(configured, "infra/infra.sh"))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("infra/infra.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find infra/infra.sh above " + Path.of("").toAbsolutePath());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
