package dev.mailops.testinfra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers here. The socket (or {@code DOCKER_HOST}) is asked first with a
 * short timeout, so a machine with the Docker client but no engine learns it at once; only then is
 * Testcontainers' own, thorough check run.
 */
public final class DockerProbe {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

    private DockerProbe() {
    }

    /** True when an engine answers and Testcontainers can use it. */
    public static boolean engineAnswers() {
        return socketAnswers(dockerHost(), TIMEOUT) && DockerClientFactory.instance().isDockerAvailable();
    }

    /** Where the engine would be: {@code DOCKER_HOST} when set, else the default Unix socket. */
    static String dockerHost() {
        return Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(host -> !host.isBlank())
                .orElse("unix://" + DEFAULT_SOCKET);
    }

    /** Sends {@code GET /_ping} to a unix:// or tcp:// engine address and expects an HTTP answer. */
    static boolean socketAnswers(String dockerHost, Duration timeout) {
        URI address = URI.create(dockerHost);
        try {
            if ("unix".equals(address.getScheme())) {
                Path socket = Path.of(address.getPath());
                return Files.exists(socket) && pingUnix(socket);
            }
            if ("tcp".equals(address.getScheme())) {
                return pingTcp(address.getHost(), address.getPort(), timeout);
            }
            return false;
        } catch (IOException | RuntimeException noEngine) {
            return false;
        }
    }

    private static boolean pingUnix(Path socket) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(PING));
            ByteBuffer answer = ByteBuffer.allocate(5);
            while (answer.hasRemaining() && channel.read(answer) >= 0) {
                // an engine that accepted the connection answers at once
            }
            return "HTTP/".equals(new String(answer.array(), StandardCharsets.US_ASCII));
        }
    }

    private static boolean pingTcp(String host, int port, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(PING);
            byte[] answer = socket.getInputStream().readNBytes(5);
            return "HTTP/".equals(new String(answer, StandardCharsets.US_ASCII));
        }
    }

    private static final byte[] PING = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
}
