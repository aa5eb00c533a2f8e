package dev.mailops.gateway.proxy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A request whose Content-Length exceeds the body limit of its path gets 413 problem+json: the
 * migration's CSV upload ({@code POST /api/v1/imports}) may be as large as mailbox-service accepts
 * (8 MiB), every other request 256K. Quarkus's own limit is the larger one, so that the upload can
 * pass; a body of unknown length (chunked) is therefore refused with 411 on every other path, where it
 * would otherwise slip past the smaller limit. Quarkus's own check
 * would answer with an empty 413 and close the connection while the client may still be sending, which
 * many clients report as a broken connection instead of the 413 (found by the fuzz run). Here the body
 * is read and dropped first, up to a ceiling beyond which the connection is closed after the answer.
 */
@ApplicationScoped
public class BodyLimit {

    /** Bodies up to this size are drained before the answer; larger ones end the connection. */
    private static final long DRAIN_CEILING = 16L * 1024 * 1024;

    static final String IMPORTS = "/api/v1/imports";

    @ConfigProperty(name = "gateway.max-body-size", defaultValue = "256K")
    MemorySize maxBodySize;

    @ConfigProperty(name = "gateway.import-max-body-size", defaultValue = "8M")
    MemorySize importMaxBodySize;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        boolean upload = context.request().method() == HttpMethod.POST && IMPORTS.equals(context.normalizedPath());
        long limit = (upload ? importMaxBodySize : maxBodySize).asLongValue();
        long declared = contentLength(context);
        if (declared == -1 && !upload && mayCarryBody(context)) {
            context.response().setStatusCode(411).putHeader("Content-Type", "application/problem+json")
                    .putHeader("Connection", "close")
                    .end("{\"type\":\"/problems/length-required\",\"title\":\"Length required\",\"status\":411,"
                            + "\"detail\":\"Send the body with a Content-Length (at most " + limit + " bytes)\"}");
            return;
        }
        if (declared <= limit) {
            context.next();
            return;
        }
        String problem = "{\"type\":\"/problems/payload-too-large\",\"title\":\"Request body too large\",\"status\":413,"
                + "\"detail\":\"The body may be at most " + limit + " bytes; this one declares "
                + declared + "\"}";
        var response = context.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json");
        if (declared > DRAIN_CEILING) {
            response.putHeader("Connection", "close").end(problem);
            return;
        }
        context.request().handler(ignored -> { }).endHandler(ended -> response.end(problem));
        context.request().resume();
    }

    /**
     * Whether a request without Content-Length may still carry a body: HTTP/1.1 says so with
     * Transfer-Encoding; HTTP/2 has no such header, so a change there must declare its length
     * (browsers and curl send Content-Length, 0 for an empty body).
     */
    private static boolean mayCarryBody(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.version() == HttpVersion.HTTP_2) {
            HttpMethod method = request.method();
            return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
        }
        return request.headers().contains("Transfer-Encoding");
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
