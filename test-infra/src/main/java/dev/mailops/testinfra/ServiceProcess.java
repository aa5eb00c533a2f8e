package dev.mailops.testinfra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service (its quarkus-run.jar) as a process of its own, for tests that kill it with
 * SIGKILL and start it again; closing it stops it gracefully. Each start logs to its own file beside
 * the jar's target folder.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final int FREE_PORTS_FROM = 24000;
    private static final int FREE_PORTS_TO = 32768;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final Random RANDOM = new Random();
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path jar;
    private final int httpPort;
    private final Map<String, String> properties;
    private final String maxHeap;
    private Process process;
    private int generation;
    private File log;
    private Duration startup;
    private boolean usedAotCache;

    public ServiceProcess(Path jar, Map<String, String> properties) {
        this(jar, properties, "256m");
    }

    /** @param maxHeap the -Xmx of the process, e.g. 512m; null: the services' own (infra/service-jvm.options) */
    public ServiceProcess(Path jar, Map<String, String> properties, String maxHeap) {
        this.jar = jar;
        this.httpPort = freePort();
        this.properties = properties;
        this.maxHeap = maxHeap;
    }

    /** The jar the build made for the module under test (failsafe passes its path). */
    public static Path packagedJar() {
        return Path.of(System.getProperty("mailops.app.jar", "target/quarkus-app/quarkus-run.jar"));
    }

    public int httpPort() {
        return httpPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The process id, or -1 before the first start. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * The JVM options files of a service, as ./mailops starts it: every service's, then the service's own
     * where it has one (infra/<module>-jvm.options).
     */
    public static List<Path> jvmOptionsFiles(String module) {
        Path infra = LocalInfrastructure.repositoryRoot().resolve("infra");
        return java.util.stream.Stream.of(infra.resolve("service-jvm.options"), infra.resolve(module + "-jvm.options"))
                .filter(Files::exists).toList();
    }

    /**
     * The service's JIT compiler directives, where it has them: the file its image carries as
     * /etc/mailops/compiler-directives.json (src/main/jib), which ./mailops passes too.
     */
    public static Optional<Path> compilerDirectives(String module) {
        Path file = LocalInfrastructure.repositoryRoot().resolve(module).resolve("src/main/jib/etc/mailops/compiler-directives.json");
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    /** Starts the service and waits until /q/health/ready answers 200. */
    public void start() {
        List<String> command = new ArrayList<>();
        // A session of its own, as ./mailops starts each service: the kernel's autogroups then share the CPU
        // between processes, not between their threads, so a service starting beside busy ones is not
        // starved by their thread counts. setsid execs in place (the child leads no group), so pid() is the JVM.
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(javaBinary());
        // <module>/target/quarkus-app/quarkus-run.jar
        String module = jar.toAbsolutePath().getParent().getParent().getParent().getFileName().toString();
        jvmOptionsFiles(module).forEach(file -> command.add("@" + file));
        compilerDirectives(module).ifPresent(file -> command.addAll(List.of("-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + file)));
        Optional<Path> cache = aotCache(module);
        cache.ifPresent(file -> command.add("-XX:AOTCache=" + file));
        usedAotCache = cache.isPresent();
        if (maxHeap != null) {
            command.add("-Xmx" + maxHeap);
        }
        command.add("-Dquarkus.http.port=" + httpPort);
        // e.g. -Dmailops.service.jvm-args="-XX:StartFlightRecording=filename=/tmp/%p.jfr" to profile a run
        String extra = System.getProperty("mailops.service.jvm-args", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        log = jar.getParent().getParent().resolve(jar.getParent().getParent().getFileName() + "-process-"
                + (++generation) + ".log").toFile();
        Instant started = Instant.now();
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
            // glibc's arenas per thread otherwise grow the resident memory beyond the JVM's own bounds (as ./mailops)
            builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service exited during start-up (exit " + process.exitValue()
                        + "); the end of " + log + ":\n" + logTail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The service was not ready within 90 s; the end of " + log + ":\n"
                        + logTail());
            }
            pause(200);
        }
        startup = Duration.between(started, Instant.now());
    }

    /** From the process's launch until /q/health/ready first answered 200, at its last start (polled every 200 ms). */
    public Duration startup() {
        return startup;
    }

    /** The last lines of the last start's log: a CI run keeps the test's message, not the files. */
    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log.toPath(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** The log of the last start. */
    public Path log() {
        return log.toPath();
    }

    /**
     * Runs the given starts side by side and returns when all are done; the first failure is thrown once
     * all have ended. A service's start-up waits for the broker and the database as much as for the CPU,
     * so services that do not depend on each other come up sooner together than one after another.
     */
    public static void startTogether(List<Runnable> starts) {
        ExecutorService threads = Executors.newFixedThreadPool(starts.size());
        try {
            List<CompletableFuture<Void>> running = starts.stream()
                    .map(start -> CompletableFuture.runAsync(start, threads)).toList();
            RuntimeException failure = null;
            for (CompletableFuture<Void> start : running) {
                try {
                    start.join();
                } catch (CompletionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException cause ? cause : e;
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            threads.shutdown();
        }
    }

    /** SIGKILL: no shutdown hook, no graceful close of consumers or transactions. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean ready() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort
                    + "/q/health/ready").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * Stops the service gracefully, so that its shutdown runs (a flight recording asked for with
     * {@code -XX:StartFlightRecording=filename=...} is written only then), and with SIGKILL if it has
     * not ended within {@link #STOP_GRACE}.
     */
    @Override
    public void close() {
        if (process != null) {
            stop(process, STOP_GRACE);
        }
    }

    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /**
     * {@link #close()} of several services side by side: each is signalled at once, then awaited, so a set of
     * services stops in the time of its slowest (2.3 to 5.5 s each here) rather than of their sum. Nulls (a
     * service a fixture never got to create) are passed over.
     */
    public static void closeTogether(Collection<ServiceProcess> services) {
        stopTogether(services.stream().filter(Objects::nonNull).map(service -> service.process).filter(Objects::nonNull)
                .toList(), STOP_GRACE);
    }

    /** SIGTERM to every process at once, then {@link #stop} of each: SIGKILL for one not ended within the grace. */
    static void stopTogether(List<Process> processes, Duration grace) {
        processes.forEach(Process::destroy);
        processes.forEach(process -> stop(process, grace));
    }

    /** SIGTERM, then SIGKILL when the process has not ended within the grace; returns when it has ended. */
    static void stop(Process process, Duration grace) {
        try {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * A port that is free for TCP and UDP now, below the kernel's ephemeral range (32768 and up here):
     * a service killed and started again binds the same port, and in between an outgoing connection or a
     * DNS query of the load could have been given it as its own port had it come from that range. Not
     * the 10xxx, 11xxx, 2[1-3]xxx of the infrastructure and the mail hosts, and never twice in one JVM.
     */
    public static synchronized int freePort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = FREE_PORTS_FROM + RANDOM.nextInt(FREE_PORTS_TO - FREE_PORTS_FROM);
            if (HANDED_OUT.add(port) && bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port in " + FREE_PORTS_FROM + "-" + FREE_PORTS_TO);
    }

    private static boolean bindable(int port) {
        try (ServerSocket tcp = new ServerSocket(port); DatagramSocket udp = new DatagramSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The services' java: mailops.service.java (./mailops passes the one it starts them with), else this JVM's. */
    public static String javaBinary() {
        String configured = System.getProperty("mailops.service.java", "").strip();
        return configured.isEmpty() ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : configured;
    }

    /**
     * The version of the services' java ({@link #javaBinary()}), as its JDK's {@code release} file gives it (e.g.
     * 25.0.3), or this JVM's where that file cannot be read.
     */
    public static String javaVersion() {
        try {
            Path release = Path.of(javaBinary()).toRealPath().getParent().getParent().resolve("release");
            for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return line.substring("JAVA_VERSION=".length()).replace("\"", "");
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // falls back to this JVM's version below
        }
        return System.getProperty("java.version");
    }

    /**
     * The JDK AOT cache ./mailops up made for the module (in mailops.service.aot-cache-dir, which ./mailops
     * passes), where there is one newer than the module's jar; the JVM ignores a cache of another JDK.
     */
    public Optional<Path> aotCache(String module) {
        String directory = System.getProperty("mailops.service.aot-cache-dir", "").strip();
        if (directory.isEmpty()) {
            return Optional.empty();
        }
        Path cache = Path.of(directory, module + ".aot");
        try {
            return Files.exists(cache) && Files.getLastModifiedTime(cache)
                    .compareTo(Files.getLastModifiedTime(jar)) > 0 ? Optional.of(cache) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether the last start used an AOT cache. */
    public boolean startedWithAotCache() {
        return usedAotCache;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
