package dev.mailops.gateway.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;

import dev.mailops.gateway.limits.Buckets;

/**
 * A token bucket per tenant: {@code requests-per-second} refill, {@code burst} capacity. The buckets are
 * shared by every gateway instance (in the gateway's PostgreSQL), so N instances still give a tenant its
 * rate once. Each instance takes up to {@code unsynchronized-tokens} of a tenant's tokens on its own, for
 * at most {@code max-unsynchronized}, before it charges them to the shared bucket: a database round trip per
 * so many requests instead of one per request, for at most N times those tokens beyond the burst. Zero
 * asks the database every time. A call may be a database round trip: call it off the event loop.
 */
@ApplicationScoped
public class TenantRateLimiter {

    @Inject
    Buckets buckets;

    @ConfigProperty(name = "gateway.rate-limit.requests-per-second", defaultValue = "50")
    long ratePerSecond;

    @ConfigProperty(name = "gateway.rate-limit.burst", defaultValue = "100")
    long burst;

    @ConfigProperty(name = "gateway.rate-limit.unsynchronized-tokens", defaultValue = "10")
    long unsynchronizedTokens;

    @ConfigProperty(name = "gateway.rate-limit.max-unsynchronized", defaultValue = "PT10S")
    Duration maxUnsynchronized;

    /** The tenants' buckets with their local state; tenants come from verified tokens, so their number is bounded. */
    private final Map<String, BucketProxy> tenants = new ConcurrentHashMap<>();

    /** A limiter on these buckets, as another gateway instance would have it. */
    public static TenantRateLimiter over(Buckets buckets, long ratePerSecond, long burst, long unsynchronizedTokens,
            Duration maxUnsynchronized) {
        TenantRateLimiter limiter = new TenantRateLimiter();
        limiter.buckets = buckets;
        limiter.ratePerSecond = ratePerSecond;
        limiter.burst = burst;
        limiter.unsynchronizedTokens = unsynchronizedTokens;
        limiter.maxUnsynchronized = maxUnsynchronized;
        return limiter;
    }

    /** 0 when the request may pass, else the seconds until a token is available (Retry-After). */
    public long acquire(String tenant) {
        BucketProxy bucket = tenants.computeIfAbsent(tenant, this::bucket);
        ConsumptionProbe probe;
        try {
            probe = bucket.tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            if (!missingRow(e)) {
                throw e;
            }
            // Requests that reach a missing row together (a tenant's first, or after the purge deleted a full
            // bucket) are sent as one batch, and Bucket4j fails the batch instead of creating the row: create
            // it with a request of its own, then ask again.
            buckets.bucket("tenant", tenant, configuration()).getAvailableTokens();
            probe = bucket.tryConsumeAndReturnRemaining(1);
        }
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    private BucketProxy bucket(String tenant) {
        return unsynchronizedTokens == 0 ? buckets.bucket("tenant", tenant, configuration())
                : buckets.consumedLocally("tenant", tenant, configuration(), new DelayParameters(unsynchronizedTokens,
                        maxUnsynchronized));
    }

    private BucketConfiguration configuration() {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(ratePerSecond, Duration.ofSeconds(1)).build())
                .build();
    }

    private static boolean missingRow(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BucketNotFoundException) {
                return true;
            }
        }
        return false;
    }
}
