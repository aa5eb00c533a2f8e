package dev.mailops.testinfra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
