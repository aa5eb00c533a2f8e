package dev.mailops.kit.web;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every HTTP request an id (the client's {@code X-Request-Id} when it sent a sane one) before
 * any other handler runs, and echoes it on every response, errors and {@code /q/*} included.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final String KEY = "mailops.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String sent = context.request().getHeader(HEADER);
            String id = sent != null && SANE.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
            context.put(KEY, id);
            context.response().putHeader(HEADER, id);
            context.next();
        });
    }

    public static String of(RoutingContext context) {
        return context.get(KEY);
    }
}
