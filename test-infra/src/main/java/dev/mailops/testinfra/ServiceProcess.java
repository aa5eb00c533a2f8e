package dev.mailops.testinfra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service (its quarkus-run.jar) as a process of its own, for tests that kill it with
 * SIGKILL and start it again. Each start logs to its own file beside the jar's target folder.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Path jar;
    private final int httpPort;
    private final Map<String, String> properties;
    private final String maxHeap;
    private Process process;
    private int generation;

    public ServiceProcess(Path jar, Map<String, String> properties) {
        this(jar, properties, "256m");
    }

    /** @param maxHeap the -Xmx of the process, e.g. 512m */
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

    /** Starts the service and waits until /q/health/ready answers 200. */
    public void start() {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + maxHeap, "-Dquarkus.http.port=" + httpPort));
        // e.g. -Dmailops.service.jvm-args="-XX:StartFlightRecording=filename=/tmp/%p.jfr" to profile a run
        String extra = System.getProperty("mailops.service.jvm-args", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        File log = jar.getParent().getParent().resolve(jar.getParent().getParent().getFileName() + "-process-"
                + (++generation) + ".log").toFile();
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service exited during start-up; see " + log);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The service was not ready within 90 s; see " + log);
            }
            pause(200);
        }
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

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
