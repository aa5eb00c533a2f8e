package dev.mailops.gateway.proxy;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

import dev.mailops.gateway.limits.Buckets;

/**
 * A token bucket per tenant: {@code requests-per-second} refill, {@code burst} capacity. The buckets are
 * shared by every gateway instance (in the gateway's PostgreSQL), so N instances still give a tenant its
 * rate once. Each call is a database round trip: call it off the event loop.
 */
@ApplicationScoped
public class TenantRateLimiter {

    @Inject
    Buckets buckets;

    @ConfigProperty(name = "gateway.rate-limit.requests-per-second", defaultValue = "50")
    long ratePerSecond;

    @ConfigProperty(name = "gateway.rate-limit.burst", defaultValue = "100")
    long burst;

    /** A limiter on these buckets, as another gateway instance would have it. */
    public static TenantRateLimiter over(Buckets buckets, long ratePerSecond, long burst) {
        TenantRateLimiter limiter = new TenantRateLimiter();
        limiter.buckets = buckets;
        limiter.ratePerSecond = ratePerSecond;
        limiter.burst = burst;
        return limiter;
    }

    /** 0 when the request may pass, else the seconds until a token is available (Retry-After). */
    public long acquire(String tenant) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(ratePerSecond, Duration.ofSeconds(1)).build())
                .build();
        ConsumptionProbe probe = buckets.bucket("tenant", tenant, configuration).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }
}
