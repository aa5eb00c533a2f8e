package dev.mailops.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The public API as the load sees it: one HTTP/1.1 client for the run, every request with its own request id. */
public final class Api implements AutoCloseable {

    /** retryAfter: when the answer said to try again (its Retry-After header in seconds), if it did. */
    public record Reply(int status, String body, String requestId, String contentType, Optional<Duration> retryAfter) {
        public Reply(int status, String body, String requestId, String contentType) {
            this(status, body, requestId, contentType, Optional.empty());
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Refused as overloaded with when to come back: nothing was done, the same request may be sent again. */
        public boolean refusedForNow() {
            return status == 503 && retryAfter.isPresent();
        }

        /**
         * Shed under overload (problem type {@code overloaded}): the gateway never forwarded it, or the service
         * had no database connection for it, so nothing changed. A {@code service-unavailable} 503 is not:
         * a service that dies mid-request may have committed it.
         */
        public boolean shed() {
            return status == 503 && body != null && OVERLOADED.matcher(body).find();
        }
    }

    private static final Pattern OVERLOADED = Pattern.compile("\"type\"\\s*:\\s*\"/problems/overloaded\"");

    /** Status for a request that got no HTTP answer (connection refused, reset, timeout). */
    public static final int NO_ANSWER = 0;
    /** Status of an operation the load did not send: no tenant had a target for it (see Workload). */
    public static final int NOT_SENT = -1;
    /** How often set-up sends a request that was refused for now, and the longest wait it accepts in between. */
    static final int SET_UP_TRIES = 5;
    static final Duration LONGEST_SET_UP_WAIT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "bench-http");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http;

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public CompletableFuture<Reply> send(String method, String path, String token, String json) {
        return send(method, path, token, json == null ? null : "application/json",
                json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Any bytes with any content type (or none), for requests the API must refuse cleanly. */
    public CompletableFuture<Reply> send(String method, String path, String token, String contentType, byte[] body) {
        String requestId = UUID.randomUUID().toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Request-Id", requestId)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> failure == null
                        ? new Reply(response.statusCode(), response.body(), requestId,
                                response.headers().firstValue("Content-Type").orElse(""),
                                response.headers().firstValue("Retry-After").map(Api::seconds))
                        : new Reply(NO_ANSWER, String.valueOf(failure), requestId, ""));
    }

    public Reply call(String method, String path, String token, String json) {
        return send(method, path, token, json).join();
    }

    /**
     * For set-up, which is not measured: a request refused for now (a service just started, its queue
     * full) is sent again after the time the answer names, up to {@value #SET_UP_TRIES} times in all.
     */
    public CompletableFuture<Reply> sendUntilServed(String method, String path, String token, String json) {
        return sendUntilServed(method, path, token, json, SET_UP_TRIES);
    }

    public Reply callUntilServed(String method, String path, String token, String json) {
        return sendUntilServed(method, path, token, json).join();
    }

    private CompletableFuture<Reply> sendUntilServed(String method, String path, String token, String json, int tries) {
        return send(method, path, token, json).thenCompose(reply -> {
            if (!reply.refusedForNow() || tries == 1) {
                return CompletableFuture.completedFuture(reply);
            }
            long waitMillis = Math.min(reply.retryAfter().orElseThrow().toMillis(), LONGEST_SET_UP_WAIT.toMillis());
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS, executor))
                    .thenCompose(waited -> sendUntilServed(method, path, token, json, tries - 1));
        });
    }

    /** Retry-After in delay-seconds (RFC 9110); an HTTP date, which no part of this system sends, as one second. */
    private static Duration seconds(String retryAfter) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
        } catch (NumberFormatException httpDate) {
            return Duration.ofSeconds(1);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
