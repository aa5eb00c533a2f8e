package dev.mailops.gateway.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.mailops.gateway.identity.GatewayIdentity;
import dev.mailops.kit.web.RequestIds;
import dev.mailops.kit.web.TrustedHeadersAuthentication;

/**
 * Routes /api/v1 to the services with Vert.x's reverse proxy, streaming bodies and keeping the
 * services' status codes and problem+json errors. Before it forwards a request it requires a verified
 * bearer token (401), the admin role for every change (403) and the tenant's rate (429); it removes
 * whatever identity headers the client sent and sets them from the token, with the gateway token the
 * services require. {@link ServiceProxies} forwards it within the gateway's bounds on waiting
 * ({@code gateway.proxy.*}).
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);
    private static final String PROBLEM = "application/problem+json";

    @Inject
    Backends backends;
    @Inject
    TenantRateLimiter rateLimiter;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "mailops.gateway-token")
    String gatewayToken;

    @ConfigProperty(name = "gateway.proxy.connect-timeout-ms", defaultValue = "2000")
    int connectTimeoutMs;

    @ConfigProperty(name = "gateway.proxy.max-connections", defaultValue = "20")
    int maxConnections;

    @ConfigProperty(name = "gateway.proxy.max-waiting-requests", defaultValue = "-1")
    int maxWaitingRequests;

    @ConfigProperty(name = "gateway.proxy.max-queue-time", defaultValue = "PT0.25S")
    Duration maxQueueTime;

    @ConfigProperty(name = "gateway.proxy.idle-timeout", defaultValue = "PT60S")
    Duration idleTimeout;

    /** What the rate check answers when the request waited longer than the queue time to be asked. */
    private static final long QUEUE_TIME_SPENT = -1;

    private ServiceProxies proxies;
    private Vertx vertx;

    void install(@Observes Router router, Vertx vertx) {
        this.vertx = vertx;
        proxies = new ServiceProxies(vertx, new ServiceProxies.Limits(Duration.ofMillis(connectTimeoutMs), maxConnections,
                maxWaitingRequests, maxQueueTime, idleTimeout), meters);
        // After Quarkus authenticated the bearer token, before the REST endpoints.
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.startsWith("/api/v1/auth/") || path.equals("/api/v1/users") || path.startsWith("/api/v1/users/")
                || path.equals("/api/v1/tenants") || path.startsWith("/api/v1/tenants/") || path.equals("/api/v1/events")) {
            context.next(); // the gateway's own endpoints
            return;
        }
        Optional<URI> backend = backends.route(path);
        if (backend.isEmpty()) {
            if (path.startsWith("/api/")) {
                problem(context, 404, "not-found", "Not found", "No API resource at " + path);
            } else {
                context.next();
            }
            return;
        }
        MultiMap headers = context.request().headers();
        headers.remove(TrustedHeadersAuthentication.TENANT_HEADER);
        headers.remove(TrustedHeadersAuthentication.USER_HEADER);
        headers.remove(TrustedHeadersAuthentication.ROLES_HEADER);
        headers.remove(TrustedHeadersAuthentication.GATEWAY_TOKEN_HEADER);
        headers.set(RequestIds.HEADER, RequestIds.of(context));
        if (!Backends.MAIL_CLIENT_PATHS.matcher(path).matches()) { // mail clients ask without credentials
            GatewayIdentity caller = context.user() instanceof QuarkusHttpUser user
                    ? GatewayIdentity.of(user.getSecurityIdentity()) : null;
            if (caller == null && context.user() instanceof QuarkusHttpUser user
                    && GatewayIdentity.anyOf(user.getSecurityIdentity()) != null) {
                problem(context, 403, "forbidden", "A tenant's token required",
                        "An operator belongs to no tenant; a tenant's data needs a token of one of its users");
                return;
            }
            if (caller == null) {
                problem(context, 401, "unauthenticated", "Authentication required",
                        "Send a bearer token from POST /api/v1/auth/login (Authorization: Bearer ...)");
                return;
            }
            HttpMethod method = context.request().method();
            boolean change = !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
            if (change && !caller.isAdmin()) {
                problem(context, 403, "forbidden", "Admin rights required",
                        "Changes need the admin role (manual: \"You need admin rights\")");
                return;
            }
            headers.set(TrustedHeadersAuthentication.TENANT_HEADER, caller.tenantId());
            headers.set(TrustedHeadersAuthentication.USER_HEADER, caller.userId());
            headers.set(TrustedHeadersAuthentication.ROLES_HEADER, String.join(",", caller.roles()));
            // The tenant's bucket is in the database: ask off the event loop, with the body held back meanwhile.
            // Under overload the workers' queue grows: a request that waited there longer than the queue
            // time is refused without asking (the bound the proxy applies to the wait for a connection).
            context.request().pause();
            long queued = System.nanoTime();
            vertx.executeBlocking(() -> System.nanoTime() - queued > maxQueueTime.toNanos() ? QUEUE_TIME_SPENT
                    : rateLimiter.acquire(caller.tenantId()), false).onComplete(result -> {
                if (context.response().closed()) {
                    proxies.abandoned(backend.get()); // its client hung up meanwhile: nobody to answer
                } else if (result.succeeded() && result.result() == QUEUE_TIME_SPENT) {
                    meters.counter("gateway.requests.shed", "backend", backend.get().getPort() + "").increment();
                    context.response().putHeader("Retry-After", "1");
                    problem(context, 503, "overloaded", "Too busy", "The request waited more than "
                            + maxQueueTime.toMillis() + " ms for the gateway's workers; retry after 1 s");
                } else if (result.failed()) {
                    LOG.warnf("Rate limit not available, request refused: %s", result.cause().getMessage());
                    context.response().putHeader("Retry-After", "5");
                    problem(context, 503, "service-unavailable", "Service unavailable",
                            "The gateway cannot check the tenant's request rate right now");
                } else if (result.result() > 0) {
                    context.response().putHeader("Retry-After", String.valueOf(result.result()));
                    problem(context, 429, "rate-limited", "Too many requests",
                            "The tenant's request rate is exceeded; retry after " + result.result() + " s");
                } else {
                    forward(context, backend.get());
                }
            });
            return;
        }
        forward(context, backend.get());
    }

    private void forward(RoutingContext context, URI backend) {
        context.request().headers().set(TrustedHeadersAuthentication.GATEWAY_TOKEN_HEADER, gatewayToken);
        meters.counter("gateway.requests", "backend", backend.getPort() + "").increment();
        proxies.forward(context, backend);
    }

    private void problem(RoutingContext context, int status, String code, String title, String detail) {
        context.response().setStatusCode(status).putHeader("Content-Type", PROBLEM)
                .end(body(status, code, title, detail));
    }

    private String body(int status, String code, String title, String detail) {
        try {
            return json.writeValueAsString(Map.of("type", "/problems/" + code, "title", title, "status", status,
                    "detail", detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
