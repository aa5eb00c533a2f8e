package dev.mailops.testinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/** The probe that chooses the path of the test infrastructure: quick, and right both ways. */
class DockerProbeTest {

    @Test
    void withoutAnEngineTheProbeAnswersFalseInWellUnderASecond() {
        assumeTrue(System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock")),
                "a machine without a Docker engine, such as the project's build machines");
        long started = System.nanoTime();
        boolean answers = DockerProbe.engineAnswers();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(answers).isFalse();
        assertThat(took).isLessThan(Duration.ofMillis(200));
    }

    @Test
    void withoutAnEngineTheTestsUseTheLocalProcesses() {
        assumeTrue(System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))
                && System.getProperty("mailops.test.infrastructure") == null);
        assertThat(TestInfrastructure.settings()).isEqualTo(LocalInfrastructure.settings());
    }

    @Test
    void aMissingSocketIsNoEngine() {
        assertThat(DockerProbe.socketAnswers("unix:///nonexistent/docker.sock", DockerProbe.TIMEOUT)).isFalse();
    }

    @Test
    void aClosedPortIsNoEngine() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertThat(DockerProbe.socketAnswers("tcp://127.0.0.1:" + port, DockerProbe.TIMEOUT)).isFalse();
    }

    @Test
    void aPortThatAcceptsButNeverAnswersIsGivenUpAfterTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long started = System.nanoTime();
            boolean answers = DockerProbe.socketAnswers("tcp://127.0.0.1:" + silent.getLocalPort(), Duration.ofMillis(300));
            assertThat(answers).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void anEngineThatAnswersThePingIsFound() throws Exception {
        try (ServerSocket engine = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> answerOnePing(engine));
            assertThat(DockerProbe.socketAnswers("tcp://127.0.0.1:" + engine.getLocalPort(), DockerProbe.TIMEOUT))
                    .isTrue();
            assertThat(request.get()).startsWith("GET /_ping ");
        }
    }

    @Test
    void anAddressOfAnotherKindIsNoEngine() {
        assertThat(DockerProbe.socketAnswers("npipe:////./pipe/docker_engine", DockerProbe.TIMEOUT)).isFalse();
    }

    /** What a Docker engine answers to {@code GET /_ping}; returns the request line it got. */
    private static String answerOnePing(ServerSocket engine) {
        try (Socket client = engine.accept()) {
            InputStream in = client.getInputStream();
            StringBuilder request = new StringBuilder();
            while (!request.toString().endsWith("\r\n\r\n")) {
                request.append((char) in.read());
            }
            OutputStream out = client.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return request.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
