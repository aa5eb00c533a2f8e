package dev.mailops.gateway.proxy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A request whose Content-Length exceeds the body limit gets 413 problem+json. Quarkus's own check
 * would answer with an empty 413 and close the connection while the client may still be sending, which
 * many clients report as a broken connection instead of the 413 (found by the fuzz run). Here the body
 * is read and dropped first, up to a ceiling beyond which the connection is closed after the answer.
 */
@ApplicationScoped
public class BodyLimit {

    /** Bodies up to this size are drained before the answer; larger ones end the connection. */
    private static final long DRAIN_CEILING = 16L * 1024 * 1024;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "256K")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        long declared = contentLength(context);
        if (declared <= maxBodySize.asLongValue()) {
            context.next();
            return;
        }
        String problem = "{\"type\":\"/problems/payload-too-large\",\"title\":\"Request body too large\",\"status\":413,"
                + "\"detail\":\"The body may be at most " + maxBodySize.asLongValue() + " bytes; this one declares "
                + declared + "\"}";
        var response = context.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json");
        if (declared > DRAIN_CEILING) {
            response.putHeader("Connection", "close").end(problem);
            return;
        }
        context.request().handler(ignored -> { }).endHandler(ended -> response.end(problem));
        context.request().resume();
    }

    private static long contentLength(RoutingContext context) {
        String header = context.request().getHeader("Content-Length");
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
