package dev.mailops.testinfra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The local path: the Kafka broker and PostgreSQL server of {@code infra/}, started once per machine
 * by the project's own scripts ({@code infra/infra.sh start} is idempotent) and shared by every test
 * of every module and by the harness of {@code bench/}, which kills and restarts them itself.
 * Tests reach the infrastructure through {@link TestInfrastructure}, which chooses this path where no
 * Docker engine answers.
 *
 * <p>Configure it with the same variables as the scripts ({@code MAILOPS_KAFKA_PORT},
 * {@code MAILOPS_PG_PORT}, {@code MAILOPS_PG_USER}, {@code MAILOPS_PG_PASSWORD}).
 */
public final class LocalInfrastructure {

    private static final Object START_LOCK = new Object();
    private static boolean started;

    private LocalInfrastructure() {
    }

    /** Starts the local processes if needed; their settings. */
    public static InfrastructureSettings settings() {
        ensureStarted();
        return new InfrastructureSettings("local processes (infra/infra.sh)", kafkaBootstrapServers(), "127.0.0.1",
                pgPort(), pgUser(), pgPassword());
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

    /**
     * Runs the idempotent start script, unless this JVM or an earlier one already ran it for the broker
     * and the database server that are running now: every test JVM of a build would otherwise spend
     * seconds on a script that finds everything in place. A broker or server started again since (the
     * chaos run kills both), or one the script did not start, makes the next JVM run the script again.
     */
    public static void ensureStarted() {
        synchronized (START_LOCK) {
            if (started) {
                return;
            }
            Optional<String> running = runningInstances();
            Path marker = dataDirectory().resolve("infra-started-for");
            if (running.isPresent() && running.equals(read(marker))) {
                started = true;
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
            runningInstances().ifPresent(instances -> write(marker, instances));
            started = true;
        }
    }

    /**
     * The broker and the database server as they run now: the broker's pid (from the script's pid file)
     * and the server's start time. Empty when either is not running or was not started by the scripts.
     */
    private static Optional<String> runningInstances() {
        try {
            long kafka = Long.parseLong(Files.readString(dataDirectory().resolve("kafka/kafka.pid")).strip());
            boolean broker = ProcessHandle.of(kafka).flatMap(handle -> handle.info().arguments())
                    .map(arguments -> Arrays.asList(arguments).contains("kafka.Kafka")).orElse(false);
            if (!broker) {
                return Optional.empty();
            }
            Properties login = new Properties();
            login.setProperty("user", pgUser());
            login.setProperty("password", pgPassword());
            login.setProperty("connectTimeout", "2");
            try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), login);
                 ResultSet started = connection.createStatement().executeQuery("select pg_postmaster_start_time()")) {
                started.next();
                return Optional.of("kafka pid " + kafka + ", postgres started " + started.getString(1));
            }
        } catch (IOException | NumberFormatException | SQLException notRunning) {
            return Optional.empty();
        }
    }

    private static Path dataDirectory() {
        String configured = System.getenv("MAILOPS_DATA_DIR");
        return configured == null || configured.isBlank() ? repositoryRoot().resolve(".infra/data") : Path.of(configured);
    }

    private static Optional<String> read(Path marker) {
        try {
            return Optional.of(Files.readString(marker).strip());
        } catch (IOException none) {
            return Optional.empty();
        }
    }

    private static void write(Path marker, String instances) {
        try {
            Path written = Files.writeString(Files.createTempFile(marker.getParent(), "infra-started", ".tmp"), instances);
            Files.move(written, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Only a shortcut for the next JVM: without it, that one runs the script again.
        }
    }

    /** Creates the database on the local server unless it exists. */
    public static void ensureDatabase(String database) {
        settings().ensureDatabase(database);
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
