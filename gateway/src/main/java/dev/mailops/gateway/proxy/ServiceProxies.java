package dev.mailops.gateway.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The reverse proxies to the services, streaming bodies and keeping the services' answers, with the
 * gateway's bounds on waiting. Each service gets at most {@link Limits#maxConnections()} requests at
 * once. A request that cannot have one of those connections within {@link Limits#maxQueueTime()}, or
 * that finds {@link Limits#maxWaitingRequests()} already waiting, is answered at once with 503
 * {@code overloaded} and Retry-After, and never reaches the service: under overload a client learns
 * within the queue time that it should come back, instead of joining a queue that only grows, and the
 * requests that are accepted keep their latency. A service that cannot be reached gives 503
 * {@code service-unavailable}.
 */
public final class ServiceProxies {

    private static final Logger LOG = Logger.getLogger(ServiceProxies.class);
    private static final String PROBLEM = "application/problem+json";

    /**
     * @param connectTimeout     the TCP connect timeout to a service
     * @param maxConnections     requests in flight per service
     * @param maxWaitingRequests requests that may wait for a connection per service (-1: no count bound)
     * @param maxQueueTime       how long a request may wait for a connection
     * @param idleTimeout        how long a request to a service may go without a byte of its answer before
     *                           it is abandoned and its connection closed: whatever holds a connection, it
     *                           goes back to the pool within this time
     */
    public record Limits(Duration connectTimeout, int maxConnections, int maxWaitingRequests, Duration maxQueueTime,
            Duration idleTimeout) {
    }

    private final Vertx vertx;
    private final Limits limits;
    private final MeterRegistry meters;
    private final HttpClient client;
    private final Map<URI, HttpProxy> proxies = new ConcurrentHashMap<>();
    /** Per client request handed to a proxy and not yet answered: its request to the service, once it has one. */
    private final Map<HttpServerRequest, AtomicReference<HttpClientRequest>> exchanges = new ConcurrentHashMap<>();
    /** Per service, the requests handed to its proxy and not yet answered: in flight or waiting. */
    private final Map<URI, AtomicInteger> admitted = new ConcurrentHashMap<>();
    /** Per service, when a request last got one of its connections ({@link System#nanoTime()}). */
    private final Map<URI, AtomicLong> lastConnected = new ConcurrentHashMap<>();

    public ServiceProxies(Vertx vertx, Limits limits, MeterRegistry meters) {
        this.vertx = vertx;
        this.limits = limits;
        this.meters = meters;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout((int) limits.connectTimeout().toMillis()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(limits.maxConnections()).setMaxWaitQueueSize(limits.maxWaitingRequests()));
    }

    /** Sends the request to the service at {@code backend} and its answer back to the client. */
    public void forward(RoutingContext context, URI backend) {
        if (context.response().closed()) {
            abandoned(backend);
            return;
        }
        AtomicInteger count = admitted.computeIfAbsent(backend, key -> new AtomicInteger());
        count.incrementAndGet();
        AtomicReference<HttpClientRequest> toService = new AtomicReference<>();
        exchanges.put(context.request(), toService);
        // Called once, when the answer is sent or the connection closes; the response's own end and
        // close handlers stay Quarkus's.
        context.addEndHandler(ended -> {
            count.decrementAndGet();
            exchanges.remove(context.request());
            HttpClientRequest request = toService.get();
            if (request != null) {
                // The client's exchange ended before the service's answer did (or before its request was
                // sent): the request to the service ends with it, and so its hold on the connection.
                request.reset();
            }
        });
        proxies.computeIfAbsent(backend, this::proxyTo).handle(context.request());
    }

    /** The requests handed to the service's proxy and not yet answered. */
    int admitted(URI backend) {
        AtomicInteger count = admitted.get(backend);
        return count == null ? 0 : count.get();
    }

    private HttpProxy proxyTo(URI backend) {
        SocketAddress origin = SocketAddress.inetSocketAddress(backend.getPort(), backend.getHost());
        RequestOptions options = new RequestOptions().setServer(origin).setIdleTimeout(limits.idleTimeout().toMillis());
        HttpProxy proxy = HttpProxy.reverseProxy(client).origin(context -> requestWithinQueueTime(context, backend, options)
                .compose(request -> {
                    // The client may hang up, or be answered, while its request waits for a connection. The
                    // proxy would still send it on, or keep it unsent, holding the connection.
                    HttpServerRequest front = context.request().proxiedRequest();
                    AtomicReference<HttpClientRequest> exchange = exchanges.get(front);
                    if (exchange == null || front.response().closed() || front.response().ended()) {
                        letGo(request);
                        abandoned(backend);
                        return Future.failedFuture(new ClientGone());
                    }
                    exchange.set(request);
                    // Answered in full: the connection goes back to the pool by itself.
                    request.response().onSuccess(response -> response.end().onComplete(done -> exchange.set(null)));
                    return Future.succeededFuture(request);
                }));
        proxy.addInterceptor(new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                return context.sendRequest().recover(failure -> Future.succeededFuture(refusal(context, backend, failure)));
            }
        });
        return proxy;
    }

    /**
     * A request to the service on one of its connections, or a {@link QueueTimeSpent} when none was free
     * within the queue time. The bound is the gateway's own, not Vert.x's (RequestOptions' connect timeout):
     * with that, a connection handed over just as the timeout fired made a request nobody sent, which held
     * the connection until the idle timeout (100 such in a bench run, all 50 connections of mailbox-service).
     * Here a connection that comes after the queue time is let go at once.
     */
    private Future<HttpClientRequest> requestWithinQueueTime(ProxyContext context, URI backend, RequestOptions options) {
        Promise<HttpClientRequest> bounded = Promise.promise();
        long timer = vertx.setTimer(limits.maxQueueTime().toMillis(), id -> bounded.tryFail(new QueueTimeSpent(
                "no free connection within " + limits.maxQueueTime().toMillis() + " ms")));
        context.client().request(options).onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.failed()) {
                bounded.tryFail(result.cause());
            } else if (bounded.tryComplete(result.result())) {
                lastConnected.computeIfAbsent(backend, key -> new AtomicLong()).set(System.nanoTime());
            } else {
                letGo(result.result()); // too late: its client was answered 503 already
            }
        });
        return bounded.future();
    }

    /**
     * Resets a request nobody sent and frees its connection. The reset's StreamResetException is the
     * expected end, not an error: without a handler Vert.x logs it as one, once per 503 under overload.
     */
    private static void letGo(HttpClientRequest request) {
        request.exceptionHandler(expected -> { });
        request.reset();
    }

    /** Counts a request whose client hung up before it was sent on: the service never sees it. */
    void abandoned(URI backend) {
        meters.counter("gateway.requests.abandoned", "backend", String.valueOf(backend.getPort())).increment();
    }

    /** The queue time ran out before the request had a connection to its service. */
    private static final class QueueTimeSpent extends TimeoutException {
        QueueTimeSpent(String message) {
            super(message);
        }
    }

    private static final class ClientGone extends RuntimeException {
        ClientGone() {
            super("the client hung up before its request was sent on", null, false, false);
        }
    }

    private ProxyResponse refusal(ProxyContext context, URI backend, Throwable failure) {
        if (failure instanceof ClientGone) {
            return context.request().response().setStatusCode(499); // nobody reads it
        }
        String uri = context.request().getURI();
        if (failure instanceof ConnectionPoolTooBusyException || failure instanceof QueueTimeSpent && reachable(backend)) {
            meters.counter("gateway.requests.shed", "backend", String.valueOf(backend.getPort())).increment();
            String why = failure instanceof ConnectionPoolTooBusyException
                    ? limits.maxWaitingRequests() + " requests are already waiting for the service behind " + uri
                    : "The service behind " + uri + " had no free connection within "
                            + limits.maxQueueTime().toMillis() + " ms";
            return unavailable(context, "1", "overloaded", "Too busy", why + "; retry after 1 s");
        }
        LOG.warnf("%s did not answer: %s", backend, failure.getMessage());
        return unavailable(context, "5", "service-unavailable", "Service unavailable",
                "The service behind " + uri + " is not reachable right now");
    }

    /**
     * Whether the queue time ran out on a service that is there: it gave one of its connections to a request
     * within the connect timeout, or more requests wait for it than it has connections. Otherwise the wait was
     * for a connect that did not complete. The count alone misjudged a busy service in a CI run (GatewayIT:
     * one of the creates shed under overload got service-unavailable): a request leaves the count when its
     * client's answer ends, which need not be when its connection is back in the pool.
     */
    private boolean reachable(URI backend) {
        AtomicLong connected = lastConnected.get(backend);
        boolean connectedLately = connected != null
                && System.nanoTime() - connected.get() < limits.connectTimeout().toNanos();
        return connectedLately || admitted(backend) > limits.maxConnections();
    }

    private static ProxyResponse unavailable(ProxyContext context, String retryAfter, String code, String title,
            String detail) {
        String body = new JsonObject().put("type", "/problems/" + code).put("title", title).put("status", 503)
                .put("detail", detail).encode();
        return context.request().response()
                .setStatusCode(503)
                .putHeader("Content-Type", PROBLEM)
                .putHeader("Retry-After", retryAfter)
                .setBody(Body.body(Buffer.buffer(body)));
    }
}
