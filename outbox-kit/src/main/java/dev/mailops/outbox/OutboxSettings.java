package dev.mailops.outbox;

import java.net.URI;
import java.time.Duration;

import org.eclipse.microprofile.config.Config;

/**
 * How a service's relay runs, read from {@code <service>.outbox.*}: {@code batch-size} (500),
 * {@code poll-interval} (PT1S, the fallback when no NOTIFY arrives), {@code send-timeout} (PT30S),
 * {@code enabled} (true); and the CloudEvents source from {@code <service>.events.source}.
 */
public record OutboxSettings(String service, int batchSize, Duration pollInterval, Duration sendTimeout,
        boolean enabled, URI source) {

    public static OutboxSettings from(Config config, String service) {
        String prefix = service + ".outbox.";
        return new OutboxSettings(service,
                config.getOptionalValue(prefix + "batch-size", Integer.class).orElse(500),
                config.getOptionalValue(prefix + "poll-interval", Duration.class).orElse(Duration.ofSeconds(1)),
                config.getOptionalValue(prefix + "send-timeout", Duration.class).orElse(Duration.ofSeconds(30)),
                config.getOptionalValue(prefix + "enabled", Boolean.class).orElse(true),
                config.getOptionalValue(service + ".events.source", URI.class)
                        .orElse(URI.create("/mailops/" + service + "-service")));
    }

    /**
     * The key of the PostgreSQL advisory lock that makes one instance the active relay: the service's
     * name in ASCII, so every instance of a service (and every version of it) agrees on it.
     */
    long lockKey() {
        long key = 0;
        for (byte b : service.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
            key = (key << 8) | (b & 0xff);
        }
        return key;
    }
}
