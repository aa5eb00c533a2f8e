package dev.mailops.bench.observe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An admin watching the gateway's live feed (GET /api/v1/events) for as long as it is open, counting the
 * events shown. A plain socket: closing it ends the read at once (an HttpURLConnection's disconnect waits
 * for the reading thread, which waits for the next event).
 */
public final class FeedWatcher implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader lines;
    private final AtomicLong events = new AtomicLong();

    private FeedWatcher(Socket socket, BufferedReader lines) {
        this.socket = socket;
        this.lines = lines;
        Thread reader = new Thread(this::read, "feed-watcher");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the feed with the admin's token; returns once the gateway answered 200. */
    public static FeedWatcher open(String gatewayUrl, String token) {
        URI gateway = URI.create(gatewayUrl);
        try {
            Socket socket = new Socket(gateway.getHost(), gateway.getPort());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/events HTTP/1.1\r\nHost: " + gateway.getHost() + ":" + gateway.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = lines.readLine();
            if (status == null || !status.startsWith("HTTP/1.1 200")) {
                socket.close();
                throw new IllegalStateException("The live feed answered " + status);
            }
            return new FeedWatcher(socket, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events shown so far. */
    public long events() {
        return events.get();
    }

    private void read() {
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    events.incrementAndGet();
                }
            }
        } catch (IOException closed) {
            // the watcher closed the feed
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }
}
