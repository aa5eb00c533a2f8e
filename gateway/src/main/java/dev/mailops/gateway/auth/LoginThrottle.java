package dev.mailops.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Slows down password guessing: after {@code max-failures} failed logins for one username, or
 * {@code max-failures-per-address} from one address (higher: many users may share one), further
 * attempts are refused until the window has passed.
 */
@ApplicationScoped
public class LoginThrottle {

    private record Failures(int count, Instant windowStart) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    @Inject
    Clock clock;

    @ConfigProperty(name = "gateway.login.max-failures", defaultValue = "5")
    int maxFailures;

    @ConfigProperty(name = "gateway.login.max-failures-per-address", defaultValue = "50")
    int maxFailuresPerAddress;

    @ConfigProperty(name = "gateway.login.window", defaultValue = "PT15M")
    Duration window;

    /** How long the caller must wait before trying again, if it must. */
    public Optional<Duration> blocked(String... keys) {
        Instant now = clock.instant();
        Duration longest = null;
        for (String key : keys) {
            Failures seen = failures.get(key);
            int limit = key.startsWith("address:") ? maxFailuresPerAddress : maxFailures;
            if (seen != null && seen.count() >= limit) {
                Duration left = Duration.between(now, seen.windowStart().plus(window));
                if (!left.isNegative() && (longest == null || left.compareTo(longest) > 0)) {
                    longest = left;
                }
            }
        }
        return Optional.ofNullable(longest);
    }

    public void failed(String... keys) {
        Instant now = clock.instant();
        if (failures.size() > 10_000) {
            // Windows that ended count for nothing: drop them, so random usernames cannot grow the map.
            failures.values().removeIf(seen -> seen.windowStart().plus(window).isBefore(now));
        }
        for (String key : keys) {
            failures.merge(key, new Failures(1, now), (old, one) -> old.windowStart().plus(window).isBefore(now)
                    ? one : new Failures(old.count() + 1, old.windowStart()));
        }
    }

    public void succeeded(String username) {
        failures.remove(username);
    }
}
