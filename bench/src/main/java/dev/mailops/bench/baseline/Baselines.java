package dev.mailops.bench.baseline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;

import dev.mailops.bench.system.LocalSystem;
import dev.mailops.testinfra.LocalInfrastructure;

/**
 * The raw rates of this machine's parts, measured in the same run as the system, so the system's
 * figures can be read as shares of them: PostgreSQL single-row INSERT transactions (pgbench, durable
 * settings as infra/postgres.sh configures them), the broker's own producer, consumer and end-to-end
 * latency tools, and Argon2id at the cost mailbox-service is configured with.
 */
public final class Baselines {

    public record Figures(double insertTps1, double insertTps8, double producerRecordsPerSecond,
            double consumerRecordsPerSecond, double kafkaEndToEndP50, double kafkaEndToEndP99,
            double hashesPerSecond, int hashThreads, String hashCost) {
    }

    private final Path root = LocalInfrastructure.repositoryRoot();
    private final Path work;

    public Baselines(Path work) {
        this.work = work;
    }

    public Figures measure(int seconds) {
        String database = "bench_baseline";
        recreate(database);
        double tps1 = pgbench(database, 1, seconds);
        double tps8 = pgbench(database, 8, seconds);
        String topic = "bench-baseline-" + System.nanoTime();
        int records = 200_000;
        String produced = kafkaTool("org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
                "--num-records", String.valueOf(records), "--record-size", "600", "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + LocalInfrastructure.kafkaBootstrapServers(), "acks=all",
                "enable.idempotence=true", "linger.ms=1");
        double producer = number(produced, "records sent, ([\\d.]+) records/sec");
        double consumer = consumerRate(topic, records);
        String latency = kafkaTool("org.apache.kafka.tools.EndToEndLatency", LocalInfrastructure.kafkaBootstrapServers(),
                topic + "-latency", "5000", "all", "600");
        Map<String, Integer> argon2 = argon2Cost();
        int threads = Runtime.getRuntime().availableProcessors();
        double hashes = hashesPerSecond(argon2, threads, seconds);
        return new Figures(tps1, tps8, producer, consumer, number(latency, "50th = ([\\d.]+)"),
                number(latency, "99th = ([\\d.]+)"), hashes, threads,
                "m=" + argon2.get("memory-kib") + " KiB, t=" + argon2.get("iterations") + ", p=" + argon2.get("parallelism"));
    }

    /** The broker's own consumer tool reading {@code records} records of the topic: records per second. */
    public double consumerRate(String topic, long records) {
        String consumed = kafkaTool("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server",
                LocalInfrastructure.kafkaBootstrapServers(), "--topic", topic, "--messages", String.valueOf(records));
        String[] columns = consumed.lines().filter(line -> line.matches("^\\d{4}-.*")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("ConsumerPerformance printed no figures:\n" + consumed))
                .split(",\\s*");
        return Double.parseDouble(columns[5]);
    }

    private double pgbench(String database, int clients, int seconds) {
        try {
            Path script = work.resolve("single-row-insert.sql");
            Files.createDirectories(work);
            Files.writeString(script, "insert into single_row_insert (tenant_id, payload) values "
                    + "('tenant-' || (random() * 1000)::int, '{\"type\":\"AliasAdded\",\"address\":\"bench@example.org\"}');\n");
            ProcessBuilder command = new ProcessBuilder(pgbenchBinary(), "-n", "-h", "127.0.0.1", "-p",
                    String.valueOf(LocalInfrastructure.pgPort()), "-U", LocalInfrastructure.pgUser(),
                    "-c", String.valueOf(clients), "-j", String.valueOf(Math.min(clients, 2)), "-T",
                    String.valueOf(seconds), "-f", script.toString(), database);
            command.environment().put("PGPASSWORD", LocalInfrastructure.pgPassword());
            return number(run(command, seconds + 60), "tps = ([\\d.]+)");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String kafkaTool(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", root.resolve(".infra/kafka-libs") + "/*", mainClass));
        command.addAll(List.of(args));
        return run(new ProcessBuilder(command), 300);
    }

    /** Hashes on {@code threads} threads for the given seconds; hashes per second over all of them. */
    static double hashesPerSecond(Map<String, Integer> cost, int threads, int seconds) {
        AtomicLong hashes = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        // The implementation mailbox-service hashes with: the reference C code through argon2-jvm.
        Argon2Advanced argon2 = Argon2Factory.createAdvanced(Argon2Types.ARGON2id, 16, 32);
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                SecureRandom random = new SecureRandom();
                while (System.nanoTime() < end) {
                    byte[] salt = new byte[16];
                    random.nextBytes(salt);
                    argon2.rawHash(cost.get("iterations"), cost.get("memory-kib"), cost.get("parallelism"),
                            "Bench-Passw0rd-2026".getBytes(StandardCharsets.UTF_8), salt);
                    hashes.incrementAndGet();
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return hashes.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** mailbox-service's configured Argon2id cost, read from its application.properties. */
    Map<String, Integer> argon2Cost() {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(root.resolve("mailbox-service/src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("memory-kib", Integer.parseInt(properties.getProperty("mailbox.password.argon2.memory-kib")),
                "iterations", Integer.parseInt(properties.getProperty("mailbox.password.argon2.iterations")),
                "parallelism", Integer.parseInt(properties.getProperty("mailbox.password.argon2.parallelism")));
    }

    private static void recreate(String database) {
        LocalSystem.recreateDatabase(database);
        try (Connection connection = DriverManager.getConnection(LocalInfrastructure.jdbcUrl(database),
                LocalInfrastructure.pgUser(), LocalInfrastructure.pgPassword());
             var statement = connection.createStatement()) {
            statement.execute("create table single_row_insert (id bigserial primary key, tenant_id varchar(64) not null, "
                    + "payload jsonb not null, created_at timestamptz not null default now())");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pgbenchBinary() {
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable).sorted()
                    .reduce((a, b) -> b).map(Path::toString).orElse("pgbench");
        } catch (IOException e) {
            return "pgbench";
        }
    }

    private static String run(ProcessBuilder command, int timeoutSeconds) {
        try {
            Process process = command.redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command.command() + " failed:\n" + new String(output, StandardCharsets.UTF_8));
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double number(String output, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(output);
        double last = Double.NaN;
        while (matcher.find()) {
            last = Double.parseDouble(matcher.group(1));
        }
        if (Double.isNaN(last)) {
            throw new IllegalStateException("No figure matching " + regex + " in:\n" + output);
        }
        return last;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
