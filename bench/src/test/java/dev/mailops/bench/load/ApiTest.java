package dev.mailops.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** Against an HTTP server on a real socket that refuses the first requests as the gateway does when a service is cold. */
class ApiTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    /** How many requests are refused with 503 and Retry-After before the server serves. */
    private volatile int refusals;
    private volatile String retryAfter = "1";
    /** The refusals' problem type, or null for a refusal without a body. */
    private volatile String problemType;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            if (requests.incrementAndGet() <= refusals) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
                if (problemType == null) {
                    exchange.sendResponseHeaders(503, -1);
                } else {
                    byte[] problem = ("{\"type\": \"/problems/" + problemType + "\", \"status\": 503}")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                    exchange.sendResponseHeaders(503, problem.length);
                    exchange.getResponseBody().write(problem);
                }
            } else {
                exchange.sendResponseHeaders(201, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void setUpSendsARequestRefusedForNowAgainAfterTheTimeTheAnswerNames() {
        refusals = 2;
        try (Api api = api()) {
            long start = System.nanoTime();
            Api.Reply reply = api.callUntilServed("PUT", "/api/v1/domains/a.example", "token", null);
            assertThat(reply.status()).isEqualTo(201);
            assertThat(requests).hasValue(3);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited Retry-After twice")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void setUpGivesUpAfterItsTriesWithTheLastAnswer() {
        refusals = Integer.MAX_VALUE;
        retryAfter = "0";
        try (Api api = api()) {
            Api.Reply reply = api.callUntilServed("POST", "/api/v1/users", "token", "{}");
            assertThat(reply.refusedForNow()).isTrue();
            assertThat(reply.retryAfter()).contains(Duration.ZERO);
            assertThat(requests).hasValue(Api.SET_UP_TRIES);
        }
    }

    @Test
    void aMeasuredRequestIsSentOnceAndItsRefusalReported() {
        refusals = 1;
        try (Api api = api()) {
            Api.Reply reply = api.call("PUT", "/api/v1/basic-fee", "token", "{}");
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.retryAfter()).contains(Duration.ofSeconds(1));
            assertThat(requests).hasValue(1);
        }
    }

    @Test
    void onlyARefusalOfTypeOverloadedSaysNothingWasDone() {
        refusals = Integer.MAX_VALUE;
        try (Api api = api()) {
            problemType = "overloaded"; // the gateway's bounds, or a service without a database connection
            assertThat(api.call("PUT", "/api/v1/basic-fee", "token", "{}").shed()).isTrue();
            problemType = "service-unavailable"; // a service that stopped answering may have committed
            Api.Reply unavailable = api.call("PUT", "/api/v1/basic-fee", "token", "{}");
            assertThat(unavailable.refusedForNow()).isTrue();
            assertThat(unavailable.shed()).isFalse();
            problemType = null;
            assertThat(api.call("PUT", "/api/v1/basic-fee", "token", "{}").shed()).isFalse();
        }
        assertThat(new Api.Reply(Api.NO_ANSWER, "timeout", "id", "").shed()).isFalse();
    }

    private Api api() {
        return new Api("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
