package dev.mailops.dns.server;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Clock;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.Message;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * An authoritative DNS server for the tenants' zones on UDP and TCP (RFC 1035, RFC 7766), answering
 * with {@link QueryAnswers}. Over UDP, answers are rate limited per client network
 * ({@link ResponseRateLimiter}) and capped in size, truncated (TC) beyond it so the client retries over
 * TCP; TCP is served by {@link TcpServer} within its connection limits and timeouts.
 */
@ApplicationScoped
public class AuthoritativeServer {

    private static final Logger LOG = Logger.getLogger(AuthoritativeServer.class);
    /** Larger than any query needs; a longer datagram is cut and dropped as malformed. */
    private static final int UDP_QUERY_BUFFER = 4096;

    @Inject
    ZoneCache cache;
    @Inject
    QueryAnswers answers;
    @Inject
    ServerLimits limits;
    @Inject
    MeterRegistry meters;
    @Inject
    Vertx vertx;
    @Inject
    Clock clock;

    @ConfigProperty(name = "dns.server.host", defaultValue = "127.0.0.1")
    String host;

    @ConfigProperty(name = "dns.server.port", defaultValue = "10053")
    int configuredPort;

    private DatagramSocket udp;
    private TcpServer tcp;
    private ResponseRateLimiter rateLimiter;
    private int port;
    private volatile boolean running;

    void start(@Observes StartupEvent event) throws Exception {
        if (limits.udp().maxSize() < 512 || limits.udp().maxSize() > 4096) {
            throw new IllegalStateException("dns.limits.udp.max-size must be 512 to 4096 bytes (1232 avoids fragmentation)");
        }
        rateLimiter = new ResponseRateLimiter(limits.rrl(), clock);
        tcp = new TcpServer(vertx, answers, limits.tcp(), meters);
        port = tcp.listen(host, configuredPort);
        udp = new DatagramSocket(port, InetAddress.getByName(host)); // same port on both, also when it was 0
        running = true;
        Thread udpLoop = new Thread(this::serveUdp, "dns-udp");
        udpLoop.setDaemon(true);
        udpLoop.start();
        cache.refresh();
        LOG.infof("Authoritative DNS server listening on %s port %d (UDP and TCP)", host, port);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }

    public int port() {
        return port;
    }

    private void serveUdp() {
        byte[] buffer = new byte[UDP_QUERY_BUFFER];
        while (running) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                Message request = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = switch (rateLimiter.admit(packet.getAddress())) {
                    case ANSWER -> answers.answer(request, "udp");
                    case SLIP -> limited("slipped", QueryAnswers.truncated(request));
                    case DROP -> limited("dropped", null);
                };
                if (response != null) {
                    byte[] answer = answers.udpWire(request, response);
                    udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (SocketException e) {
                if (udp.isClosed()) {
                    return;
                }
                LOG.debugf(e, "A UDP answer could not be sent");
            } catch (IOException | RuntimeException e) {
                LOG.debugf(e, "Dropped a malformed UDP query");
            }
        }
    }

    private Message limited(String action, Message response) {
        meters.counter("dns.rrl.limited", "action", action).increment();
        return response;
    }
}
