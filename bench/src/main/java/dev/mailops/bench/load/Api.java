package dev.mailops.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The public API as the load sees it: one HTTP/1.1 client for the run, every request with its own request id. */
public final class Api implements AutoCloseable {

    /** retryAfter: the answer said when to try again (the Retry-After header). */
    public record Reply(int status, String body, String requestId, String contentType, boolean retryAfter) {
        public Reply(int status, String body, String requestId, String contentType) {
            this(status, body, requestId, contentType, false);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Status for a request that got no HTTP answer (connection refused, reset, timeout). */
    public static final int NO_ANSWER = 0;
    /** Status of an operation the load did not send: no tenant had a target for it (see Workload). */
    public static final int NOT_SENT = -1;

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
                                response.headers().firstValue("Retry-After").isPresent())
                        : new Reply(NO_ANSWER, String.valueOf(failure), requestId, ""));
    }

    public Reply call(String method, String path, String token, String json) {
        return send(method, path, token, json).join();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
