package dev.mailops.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

import dev.mailops.testinfra.ServiceProcess;

/**
 * The gateway's bounds on waiting, over real connections: a front server forwards through
 * {@link ServiceProxies} to a service that holds every request until the test lets it answer.
 */
class ServiceProxiesTest {

    final Vertx vertx = Vertx.vertx();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    /** Requests the front server handed to the proxies after its delay. */
    final AtomicInteger handedOn = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int frontPort;
    int servicePort;
    ServiceProxies proxies;

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRequestWithNoFreeConnectionWithinTheQueueTimeIsRefusedAtOnceAndTheOthersAreServed() throws Exception {
        start(new ServiceProxies.Limits(Duration.ofSeconds(2), 2, -1, Duration.ofMillis(300), Duration.ofSeconds(30)), holdingService());
        CompletableFuture<HttpResponse<String>> first = send();
        CompletableFuture<HttpResponse<String>> second = send();
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 2);

        HttpResponse<String> third = send().get(10, TimeUnit.SECONDS);

        assertThat(held).as("the service still holds both; the third never reached it").hasSize(2);
        assertThat(first).isNotDone();
        assertOverloaded(third, "had no free connection within 300 ms");
        held.forEach(request -> request.response().end("served"));
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).body()).isEqualTo("served");
        assertNextServed(3, "served again once connections are free");
        assertThat(meters.counter("gateway.requests.shed", "backend", String.valueOf(servicePort)).count()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admittedRequests())
                .as("every answered request, served or refused, leaves the count").isZero());
    }

    @Test
    void aConnectionThatComesAfterTheQueueTimeIsLetGoAtOnce() throws Exception {
        start(new ServiceProxies.Limits(Duration.ofSeconds(2), 1, -1, Duration.ofMillis(300), Duration.ofSeconds(60)),
                holdingService());
        CompletableFuture<HttpResponse<String>> first = send();
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        assertOverloaded(send().get(10, TimeUnit.SECONDS), "had no free connection within 300 ms");

        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger vertxClient = Logger.getLogger("io.vertx.core.http.impl.HttpClientRequestImpl");
        vertxClient.addHandler(capture);
        try {
            held.get(0).response().end("served"); // the connection is free now, after the second was answered
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertNextServed(2, "the connection did not stay with the second");
            assertThat(held).as("the second never reached the service").hasSize(2);
            assertThat(errors).as("letting the connection go is no error: under overload it was one logged per 503")
                    .extracting(LogRecord::getMessage).isEmpty();
        } finally {
            vertxClient.removeHandler(capture);
        }
    }

    @Test
    void aRequestWhoseServiceSaysNothingForTheIdleTimeoutGivesItsConnectionBack() throws Exception {
        start(new ServiceProxies.Limits(Duration.ofSeconds(2), 1, -1, Duration.ofSeconds(5), Duration.ofMillis(400)),
                holdingService());

        HttpResponse<String> abandoned = send().get(10, TimeUnit.SECONDS);

        assertThat(abandoned.statusCode()).isEqualTo(503);
        assertThat(abandoned.body()).contains("\"type\":\"/problems/service-unavailable\"");
        assertNextServed(2, "the one connection is free again");
    }

    @Test
    void beyondTheWaitingRequestsOneMoreIsRefusedAtOnce() throws Exception {
        start(new ServiceProxies.Limits(Duration.ofSeconds(2), 1, 1, Duration.ofSeconds(30), Duration.ofSeconds(30)), holdingService());
        CompletableFuture<HttpResponse<String>> inFlight = send();
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        CompletableFuture<HttpResponse<String>> waiting = send();
        await().atMost(Duration.ofSeconds(10)).until(() -> admittedRequests() == 2);

        HttpResponse<String> refused = send().get(10, TimeUnit.SECONDS);

        assertOverloaded(refused, "1 requests are already waiting");
        assertThat(waiting).as("the waiting one keeps its place").isNotDone();
        held.get(0).response().end("served");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 2);
        held.get(1).response().end("served");
        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aServiceThatCannotBeReachedIsUnavailableNotOverloaded() throws Exception {
        start(new ServiceProxies.Limits(Duration.ofSeconds(2), 2, -1, Duration.ofMillis(300), Duration.ofSeconds(30)), ServiceProcess.freePort());

        HttpResponse<String> answer = send().get(10, TimeUnit.SECONDS);

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(answer.body()).contains("\"type\":\"/problems/service-unavailable\"");
    }

    @Test
    void aServiceWhoseConnectsHangIsUnavailableNotOverloaded() throws Exception {
        // A listener that accepts nothing: once its backlog is full, the kernel drops further connects'
        // SYNs, so a connect hangs as to a host that is gone.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> backlog = new java.util.ArrayList<>();
            try {
                boolean full = false;
                for (int i = 0; i < 20 && !full; i++) {
                    Socket socket = new Socket();
                    try {
                        socket.connect(listener.getLocalSocketAddress(), 200);
                        backlog.add(socket);
                    } catch (SocketTimeoutException e) {
                        socket.close();
                        full = true;
                    }
                }
                assertThat(full).as("a connect to the full backlog hangs").isTrue();
                start(new ServiceProxies.Limits(Duration.ofSeconds(2), 2, -1, Duration.ofMillis(300), Duration.ofSeconds(30)),
                        listener.getLocalPort());

                HttpResponse<String> answer = send().get(10, TimeUnit.SECONDS);

                assertThat(answer.statusCode()).isEqualTo(503);
                assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(answer.body()).contains("\"type\":\"/problems/service-unavailable\"");
            } finally {
                for (Socket socket : backlog) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aStormOfRefusalsLeavesEveryConnectionToTheService() throws Exception {
        int connections = 4;
        start(new ServiceProxies.Limits(Duration.ofSeconds(2), connections, -1, Duration.ofMillis(20), Duration.ofSeconds(30)), slowService());
        List<CompletableFuture<HttpResponse<String>>> storm = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            storm.add(send());
        }
        CompletableFuture.allOf(storm.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(storm).as("some were served, some refused").anyMatch(answer -> answer.join().statusCode() == 200)
                .anyMatch(answer -> answer.join().statusCode() == 503);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admittedRequests()).isZero());

        List<CompletableFuture<HttpResponse<String>>> calm = new java.util.ArrayList<>();
        for (int i = 0; i < connections; i++) {
            calm.add(send());
        }
        for (CompletableFuture<HttpResponse<String>> answer : calm) {
            assertThat(answer.get(10, TimeUnit.SECONDS).statusCode())
                    .as("after the storm the service has all its connections again").isEqualTo(200);
        }
    }

    @Test
    void aClientThatHangsUpWhileItsRequestWaitsTakesNoConnectionOfTheService() throws Exception {
        // As the gateway forwards: the request paused while its tenant's rate is checked elsewhere, then handed on.
        start(new ServiceProxies.Limits(Duration.ofSeconds(2), 1, -1, Duration.ofSeconds(3), Duration.ofSeconds(60)),
                holdingService(), Duration.ofMillis(300));
        for (String gone : List.of("Content-Length: 7\r\n\r\n{\"a\":1}", "Content-Length: 7\r\n\r\n", "\r\n")) {
            try (Socket client = new Socket("127.0.0.1", frontPort)) {
                client.getOutputStream().write(("POST /api/v1/mailboxes HTTP/1.1\r\nHost: gateway\r\n"
                        + "Content-Type: application/json\r\n" + gone).getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
            } // gone before the request was handed on
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handedOn.get() == 3);

        assertNextServed(1, "the one connection was free for it");
        assertThat(held).as("what the service received: only the request whose client waited").hasSize(1);
        assertThat(meters.counter("gateway.requests.abandoned", "backend", String.valueOf(servicePort)).count()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admittedRequests()).isZero());
    }

    @Test
    void aClientThatHangsUpWhileWaitingForAConnectionLeavesItToTheNextRequest() throws Exception {
        start(new ServiceProxies.Limits(Duration.ofSeconds(2), 1, -1, Duration.ofSeconds(5), Duration.ofSeconds(60)),
                holdingService());
        CompletableFuture<HttpResponse<String>> first = send();
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        try (Socket client = new Socket("127.0.0.1", frontPort)) {
            client.getOutputStream().write(("POST /api/v1/mailboxes HTTP/1.1\r\nHost: gateway\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}").getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> admittedRequests() == 2); // waiting for the connection
        } // and gone

        held.get(0).response().end("served");
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.counter("gateway.requests.abandoned", "backend",
                String.valueOf(servicePort)).count() == 1);
        assertNextServed(2, "the one connection was free for it");
    }

    @Test
    void answeredRequestsLeaveTheirKeptAliveConnectionToTheNext() throws Exception {
        Set<Object> connections = ConcurrentHashMap.newKeySet();
        HttpServer service = vertx.createHttpServer().requestHandler(request -> {
            connections.add(request.connection());
            request.response().end("served");
        });
        int port = service.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        start(new ServiceProxies.Limits(Duration.ofSeconds(2), 4, -1, Duration.ofMillis(500), Duration.ofSeconds(30)), port);

        for (int i = 0; i < 20; i++) {
            assertThat(send().get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }

        assertThat(connections).as("one connection to the service, kept alive for all 20").hasSize(1);
    }

    /** A new request reaches the service as the {@code nth} it received, and is served. */
    private void assertNextServed(int nth, String why) throws Exception {
        CompletableFuture<HttpResponse<String>> next = send();
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == nth);
        held.get(nth - 1).response().end("served");
        assertThat(next.get(10, TimeUnit.SECONDS).statusCode()).as(why).isEqualTo(200);
    }

    /** Answers each request after 5 to 40 ms. */
    private int slowService() throws Exception {
        java.util.Random random = new java.util.Random(7);
        HttpServer service = vertx.createHttpServer().requestHandler(request -> vertx.setTimer(5 + random.nextInt(36),
                timer -> request.response().end("served")));
        return service.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    private int holdingService() throws Exception {
        HttpServer service = vertx.createHttpServer().requestHandler(held::add);
        return service.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    private void start(ServiceProxies.Limits limits, int port) throws Exception {
        start(limits, port, Duration.ZERO);
    }

    /** A front server that forwards each request after {@code delay}, paused meanwhile. */
    private void start(ServiceProxies.Limits limits, int port, Duration delay) throws Exception {
        servicePort = port;
        proxies = new ServiceProxies(vertx, limits, meters);
        URI backend = URI.create("http://127.0.0.1:" + port);
        Router router = Router.router(vertx);
        router.route().handler(context -> {
            if (delay.isZero()) {
                proxies.forward(context, backend);
            } else {
                context.request().pause();
                vertx.setTimer(delay.toMillis(), timer -> {
                    handedOn.incrementAndGet();
                    proxies.forward(context, backend);
                });
            }
        });
        HttpServer front = vertx.createHttpServer().requestHandler(router);
        frontPort = front.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    private int admittedRequests() {
        return proxies.admitted(URI.create("http://127.0.0.1:" + servicePort));
    }

    private CompletableFuture<HttpResponse<String>> send() {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontPort + "/api/v1/mailboxes"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertOverloaded(HttpResponse<String> answer, String detail) {
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(answer.body()).contains("\"type\":\"/problems/overloaded\"").contains(detail);
    }
}
