package dev.mailops.bench.observe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** An admin watching the gateway's live feed (GET /api/v1/events) for as long as it is open, counting the events shown. */
public final class FeedWatcher implements AutoCloseable {

    private final HttpURLConnection connection;
    private final AtomicLong events = new AtomicLong();
    private final Thread reader;

    private FeedWatcher(HttpURLConnection connection) {
        this.connection = connection;
        this.reader = new Thread(this::read, "feed-watcher");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the feed with the admin's token; returns once the gateway answered 200. */
    public static FeedWatcher open(String gatewayUrl, String token) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(gatewayUrl + "/api/v1/events").toURL()
                    .openConnection();
            connection.setRequestProperty("Authorization", "Bearer " + token);
            connection.setRequestProperty("Accept", "text/event-stream");
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("The live feed answered " + connection.getResponseCode());
            }
            return new FeedWatcher(connection);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events shown so far. */
    public long events() {
        return events.get();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                StandardCharsets.UTF_8))) {
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
        connection.disconnect();
        reader.interrupt();
    }
}
