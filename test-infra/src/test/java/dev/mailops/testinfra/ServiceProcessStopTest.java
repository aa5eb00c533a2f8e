package dev.mailops.testinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a service process lets its JVM shut down, and ends one that does not within the grace; several closed
 * together shut down side by side.
 */
class ServiceProcessStopTest {

    @TempDir
    Path folder;

    @Test
    void aProcessStoppedGracefullyRunsItsShutdown() throws Exception {
        Path marker = folder.resolve("shutdown");
        Process process = start(marker, "finishes");
        long started = System.nanoTime();
        ServiceProcess.stop(process, Duration.ofSeconds(10));
        assertThat(process.isAlive()).isFalse();
        assertThat(Files.readString(marker)).isEqualTo("started finished");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aProcessWhoseShutdownHangsIsKilledAfterTheGrace() throws Exception {
        Path marker = folder.resolve("shutdown");
        Process process = start(marker, "hangs");
        long started = System.nanoTime();
        ServiceProcess.stop(process, Duration.ofSeconds(1));
        assertThat(process.isAlive()).isFalse();
        assertThat(Files.readString(marker)).isEqualTo("started");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1))
                .isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void servicesStoppedTogetherTakeTheTimeOfTheSlowestNotTheirSum() throws Exception {
        Path first = folder.resolve("first");
        Path second = folder.resolve("second");
        Process one = start(first, "takes-2s");
        Process other = start(second, "takes-2s");
        long started = System.nanoTime();
        ServiceProcess.stopTogether(List.of(one, other), Duration.ofSeconds(10));
        assertThat(one.isAlive()).isFalse();
        assertThat(other.isAlive()).isFalse();
        assertThat(Files.readString(first)).isEqualTo("started finished");
        assertThat(Files.readString(second)).isEqualTo("started finished");
        // one after the other they would take at least 4 s
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2))
                .isLessThan(Duration.ofMillis(3_800));
    }

    /** A JVM with a shutdown hook, started like a service and returned once the hook is in place. */
    private static Process start(Path marker, String shutdown) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ShutdownHookProcess.class.getName(), marker.toString(), shutdown).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(output.readLine()).isEqualTo("ready");
        return process;
    }

    /** Writes "started" when its shutdown begins, then " finished" (after 2 s with takes-2s), or hangs instead. */
    public static final class ShutdownHookProcess {
        public static void main(String[] args) throws InterruptedException {
            Path marker = Path.of(args[0]);
            boolean hangs = args[1].equals("hangs");
            boolean slow = args[1].equals("takes-2s");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.writeString(marker, "started");
                    if (hangs) {
                        Thread.sleep(Long.MAX_VALUE);
                    }
                    if (slow) {
                        Thread.sleep(2_000);
                    }
                    Files.writeString(marker, "started finished");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
