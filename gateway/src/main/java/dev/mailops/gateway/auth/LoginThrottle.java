package dev.mailops.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;

import dev.mailops.gateway.edge.ClientAddresses;
import dev.mailops.gateway.limits.Buckets;
import dev.mailops.kit.jdbc.Database;

/**
 * Slows password guessing without letting anyone lock a user out (OWASP's authentication guidance).
 * Every attempt takes a token, before the password is checked, from token buckets shared by all gateway
 * instances (so parallel guesses cannot slip past the count), and a successful login gives it back:
 * <ul>
 * <li>per client and username: {@code max-failures} attempts, refilled over {@code window};</li>
 * <li>per client: {@code max-failures-per-client} (higher: many users may share an address);</li>
 * <li>per username, from clients that never logged in as that user: {@code max-failures-per-username},
 * against guessing from many addresses.</li>
 * </ul>
 * A client that has logged in successfully as a user before (its network and the username, remembered for
 * {@code known-client-lifetime}) has only its own bucket for that user: what others send, from other
 * addresses or under other names, cannot use up its allowance. A client is an IPv4 address or an IPv6 /64.
 */
@ApplicationScoped
public class LoginThrottle {

    /** One login attempt's claim on the buckets. */
    public interface Attempt {
        /** How long the client must wait, if the attempt is refused (then no password may be checked). */
        Optional<Duration> refused();

        /** The password was right: the attempt counts against no limit, and the client is known for the user. */
        void succeeded();
    }

    @Inject
    Buckets buckets;
    @Inject
    Database database;
    @Inject
    Clock clock;

    @ConfigProperty(name = "gateway.login.max-failures", defaultValue = "5")
    int maxFailures;

    @ConfigProperty(name = "gateway.login.max-failures-per-client", defaultValue = "50")
    int maxFailuresPerClient;

    @ConfigProperty(name = "gateway.login.max-failures-per-username", defaultValue = "50")
    int maxFailuresPerUsername;

    @ConfigProperty(name = "gateway.login.window", defaultValue = "PT15M")
    Duration window;

    @ConfigProperty(name = "gateway.login.known-client-lifetime", defaultValue = "P30D")
    Duration knownClientLifetime;

    /** Takes this attempt's tokens, or none if any bucket is empty. */
    public Attempt attempt(String username, String clientAddress) {
        String user = username.toLowerCase(Locale.ROOT);
        String client = ClientAddresses.network(clientAddress);
        String pair = client + "\n" + user;
        List<BucketProxy> claims = new ArrayList<>();
        boolean known = isKnown(pair);
        if (!known) {
            // The coarsest first: a client that is over its limit adds no bucket for yet another username.
            claims.add(buckets.bucket("login-client", client, limit(maxFailuresPerClient)));
            claims.add(buckets.bucket("login-user", user, limit(maxFailuresPerUsername)));
        }
        BucketProxy own = buckets.bucket(known ? "login-known" : "login-pair", pair, limit(maxFailures));
        claims.add(own);
        List<BucketProxy> taken = new ArrayList<>();
        for (BucketProxy bucket : claims) {
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                taken.forEach(given -> given.addTokens(1));
                Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
                return refused(wait);
            }
            taken.add(bucket);
        }
        return new Attempt() {
            @Override
            public Optional<Duration> refused() {
                return Optional.empty();
            }

            @Override
            public void succeeded() {
                // The client's own count starts again; the shared ones just do not count this attempt.
                own.reset();
                taken.stream().filter(given -> given != own).forEach(given -> given.addTokens(1));
                remember(pair);
            }
        };
    }

    private static Attempt refused(Duration wait) {
        return new Attempt() {
            @Override
            public Optional<Duration> refused() {
                return Optional.of(wait);
            }

            @Override
            public void succeeded() {
                throw new IllegalStateException("a refused attempt cannot succeed");
            }
        };
    }

    private BucketConfiguration limit(int attempts) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(attempts).refillGreedy(attempts, window).build())
                .build();
    }

    private boolean isKnown(String pair) {
        return database.first("SELECT 1 FROM login_known_client WHERE id = ? AND expires_at > ?", row -> true,
                Buckets.hash(pair), clock.instant()).isPresent();
    }

    /** Remembers the client for the user (again), and forgets the clients not seen for the lifetime. */
    private void remember(String pair) {
        Instant now = clock.instant();
        database.update("INSERT INTO login_known_client (id, expires_at) VALUES (?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at", Buckets.hash(pair),
                now.plus(knownClientLifetime));
        database.update("DELETE FROM login_known_client WHERE expires_at <= ?", now);
    }
}
