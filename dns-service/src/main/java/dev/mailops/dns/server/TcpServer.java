package dev.mailops.dns.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.xbill.DNS.Message;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * DNS over TCP (RFC 7766) on Vert.x's event loop: a connection holds no thread while it waits, so
 * slow clients cannot take the server from the others. A connection is refused beyond the total and
 * the per-client limit, closed when no query starts within the idle timeout, and closed when a query
 * that has started does not arrive whole within the read timeout (a client trickling bytes gains
 * nothing). While its answers are not read, it is not read either.
 */
final class TcpServer {

    private static final Logger LOG = Logger.getLogger(TcpServer.class);

    private final Vertx vertx;
    private final QueryAnswers answers;
    private final ServerLimits.Tcp limits;
    private final MeterRegistry meters;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Integer> perClient = new ConcurrentHashMap<>();
    private NetServer server;

    TcpServer(Vertx vertx, QueryAnswers answers, ServerLimits.Tcp limits, MeterRegistry meters) {
        this.vertx = vertx;
        this.answers = answers;
        this.limits = limits;
        this.meters = meters;
        meters.gauge("dns.tcp.connections", open);
    }

    /** Listens and returns the port (the one given, or a free one for 0). */
    int listen(String host, int port) throws Exception {
        server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
                .connectHandler(this::accept);
        return server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
    }

    void close() {
        if (server != null) {
            server.close();
        }
    }

    private void accept(NetSocket socket) {
        String client = socket.remoteAddress().hostAddress();
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            refuse(socket, "total");
            return;
        }
        if (perClient.merge(client, 1, Integer::sum) > limits.maxConnectionsPerClient()) {
            release(client);
            refuse(socket, "per-client");
            return;
        }
        Connection connection = new Connection(socket);
        socket.closeHandler(closed -> {
            connection.stop();
            release(client);
        });
        connection.start();
    }

    private void refuse(NetSocket socket, String limit) {
        meters.counter("dns.tcp.refused", "limit", limit).increment();
        socket.close();
    }

    private void release(String client) {
        open.decrementAndGet();
        perClient.computeIfPresent(client, (key, count) -> count == 1 ? null : count - 1);
    }

    /** One connection's framing (two length bytes, then the message) and its one deadline; confined to its event loop. */
    private final class Connection {
        private final NetSocket socket;
        private Buffer pending = Buffer.buffer();
        private long deadline = -1;

        Connection(NetSocket socket) {
            this.socket = socket;
        }

        void start() {
            socket.handler(this::received);
            socket.drainHandler(drained -> socket.resume());
            waitFor(limits.idleTimeout().toMillis(), "idle");
        }

        void stop() {
            vertx.cancelTimer(deadline);
        }

        private void received(Buffer data) {
            boolean started = pending.length() == 0;
            pending.appendBuffer(data);
            if (started) {
                // the deadline of a query runs from its first byte, and more bytes do not extend it
                waitFor(limits.readTimeout().toMillis(), "read-timeout");
            }
            while (pending.length() >= 2 && pending.length() >= 2 + pending.getUnsignedShort(0)) {
                int length = pending.getUnsignedShort(0);
                byte[] query = pending.getBytes(2, 2 + length);
                pending = pending.getBuffer(2 + length, pending.length());
                if (!answer(query)) {
                    return;
                }
            }
            if (pending.length() == 0) {
                waitFor(limits.idleTimeout().toMillis(), "idle");
            }
        }

        private boolean answer(byte[] query) {
            byte[] answer;
            try {
                answer = answers.answer(new Message(query), "tcp").toWire();
            } catch (Exception malformed) {
                LOG.tracef("Closing a TCP connection after a malformed query: %s", malformed.getMessage());
                socket.close();
                return false;
            }
            socket.write(Buffer.buffer(answer.length + 2).appendUnsignedShort(answer.length).appendBytes(answer));
            if (socket.writeQueueFull()) {
                socket.pause();
            }
            return true;
        }

        private void waitFor(long millis, String reason) {
            vertx.cancelTimer(deadline);
            deadline = vertx.setTimer(millis, fired -> {
                meters.counter("dns.tcp.closed", "reason", reason).increment();
                socket.close();
            });
        }
    }
}
