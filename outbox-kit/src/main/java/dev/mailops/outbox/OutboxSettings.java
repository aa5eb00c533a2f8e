package dev.mailops.outbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.eclipse.microprofile.config.Config;

/**
 * How an outbox's relay runs, read from {@code <name>.outbox.*}: {@code batch-size} (500),
 * {@code poll-interval} (PT1S, the fallback when no NOTIFY arrives), {@code send-timeout} (PT30S: how
 * often a relay still waiting for the broker logs so and looks for a stop), {@code enabled} (true); and
 * the CloudEvents source from {@code <service>.events.source}.
 *
 * @param name the outbox's name: the service's name for its events' outbox (the metrics tag
 *        {@code service}, the relay's thread and lock follow from it)
 */
public record OutboxSettings(String name, int batchSize, Duration pollInterval, Duration sendTimeout,
        boolean enabled, URI source) {

    /** The settings of the service's events' outbox, named like the service. */
    public static OutboxSettings from(Config config, String service) {
        return from(config, service, service);
    }

    /** The settings of one of the service's outboxes; its events carry the service's source. */
    public static OutboxSettings from(Config config, String service, String name) {
        String prefix = name + ".outbox.";
        return new OutboxSettings(name,
                config.getOptionalValue(prefix + "batch-size", Integer.class).orElse(500),
                config.getOptionalValue(prefix + "poll-interval", Duration.class).orElse(Duration.ofSeconds(1)),
                config.getOptionalValue(prefix + "send-timeout", Duration.class).orElse(Duration.ofSeconds(30)),
                config.getOptionalValue(prefix + "enabled", Boolean.class).orElse(true),
                config.getOptionalValue(service + ".events.source", URI.class)
                        .orElse(URI.create("/mailops/" + service + "-service")));
    }

    /**
     * The key of the PostgreSQL advisory lock that makes one instance the active relay, the same for
     * every instance (and every version) of a service: a name of up to eight characters in ASCII (as
     * "mailbox", "billing" and "dns" always had), a longer one by its name-based UUID.
     */
    long lockKey() {
        byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
        if (ascii.length > Long.BYTES) {
            return UUID.nameUUIDFromBytes(ascii).getMostSignificantBits();
        }
        long key = 0;
        for (byte b : ascii) {
            key = (key << 8) | (b & 0xff);
        }
        return key;
    }
}
