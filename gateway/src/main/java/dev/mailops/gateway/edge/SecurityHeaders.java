package dev.mailops.gateway.edge;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser security headers on every answer the gateway gives: its own, the console's files, Swagger
 * UI, the services' answers it forwards, and errors. They are set when the headers are written, so no
 * handler on the way can lose them. Content-Security-Policy has three cuts: the API (JSON, nothing to
 * load or run), the console (its own files only, no inline script or style) and Swagger UI (its two
 * inline scripts by hash, and the inline styles its renderer writes). Strict-Transport-Security only
 * where the client came over TLS, directly or through a trusted proxy that says so.
 *
 * <p>Also here, for the same reason of running first: X-Forwarded-For on the request is replaced by the
 * client address {@link ClientAddresses} resolves, so the access log and the services see that one and
 * never a value the client made up.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    static final String CONSOLE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Inject
    ClientAddresses clients;

    @ConfigProperty(name = "gateway.security-headers.swagger-ui-script-hashes")
    Optional<List<String>> swaggerUiScriptHashes;

    @ConfigProperty(name = "gateway.security-headers.hsts", defaultValue = "max-age=31536000; includeSubDomains")
    String hsts;

    private String swaggerUiPolicy;

    void install(@Observes Router router) {
        swaggerUiPolicy = "default-src 'none'; script-src 'self'"
                + swaggerUiScriptHashes.orElse(List.of()).stream().map(hash -> " '" + hash.trim() + "'")
                        .reduce("", String::concat)
                + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        router.route().order(Integer.MIN_VALUE).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        var request = context.request();
        String client = clients.of(request);
        request.headers().set(ClientAddresses.FORWARDED_FOR, client);
        boolean https = clients.isHttps(request);
        String path = context.normalizedPath();
        String policy = policyFor(path);
        // Through the routing context: a handler set on the response itself would be replaced by the next one.
        context.addHeadersEndHandler(ignored -> {
            MultiMap headers = context.response().headers();
            headers.set("Content-Security-Policy", policy);
            headers.set("X-Frame-Options", "DENY");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            if (https) {
                headers.set("Strict-Transport-Security", hsts);
            }
        });
        context.next();
    }

    String policyFor(String path) {
        if (path.startsWith("/q/swagger-ui")) {
            return swaggerUiPolicy;
        }
        if (path.equals("/") || path.equals("/console") || path.startsWith("/console/")) {
            return CONSOLE_POLICY;
        }
        return API_POLICY;
    }
}
