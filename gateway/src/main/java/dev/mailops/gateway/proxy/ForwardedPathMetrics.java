package dev.mailops.gateway.proxy;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * The {@code uri} tag of the gateway's HTTP metrics for forwarded requests. Quarkus templates the paths of
 * the gateway's own endpoints, but a forwarded request's tag was its path as sent: every domain name,
 * mailbox id and alias address asked for became a tag value on the unauthenticated {@code /q/metrics}
 * (another tenant's names, to anyone), and a latency histogram each. Here each segment that is not one
 * of the routes' fixed words ({@link Backends#FIXED_SEGMENTS}) becomes {@code {}}: the services' own
 * metrics keep their endpoints' templates.
 */
@Singleton
public class ForwardedPathMetrics {

    private static final Pattern SLASH = Pattern.compile("/");

    private final Backends backends;

    ForwardedPathMetrics(Backends backends) {
        this.backends = backends;
    }

    /** A forwarded path as its template; any other path as it is. */
    String template(String uri) {
        if (uri == null || backends.route(uri).isEmpty()) {
            return uri;
        }
        return SLASH.splitAsStream(uri)
                .map(segment -> segment.isEmpty() || Backends.FIXED_SEGMENTS.contains(segment) ? segment : "{}")
                .collect(Collectors.joining("/"));
    }

    @Produces
    @Singleton
    MeterFilter forwardedPathsTemplated() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("http.server.requests")) {
                    return id;
                }
                String uri = id.getTag("uri");
                String template = template(uri);
                return template == null || template.equals(uri) ? id
                        : id.withTag(Tag.of("uri", template));
            }
        };
    }
}
