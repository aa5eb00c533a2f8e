package dev.mailops.gateway.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A token bucket per tenant: {@code requests-per-second} refill, {@code burst} capacity. Per gateway
 * instance; with N instances behind a load balancer a tenant gets up to N times the rate.
 */
@ApplicationScoped
public class TenantRateLimiter {

    private static final class Bucket {
        double tokens;
        long refilledAt;
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @ConfigProperty(name = "gateway.rate-limit.requests-per-second", defaultValue = "50")
    double ratePerSecond;

    @ConfigProperty(name = "gateway.rate-limit.burst", defaultValue = "100")
    double burst;

    /** 0 when the request may pass, else the seconds until a token is available (Retry-After). */
    public long acquire(String tenant) {
        Bucket bucket = buckets.computeIfAbsent(tenant, key -> {
            Bucket fresh = new Bucket();
            fresh.tokens = burst;
            fresh.refilledAt = System.nanoTime();
            return fresh;
        });
        synchronized (bucket) {
            long now = System.nanoTime();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * ratePerSecond);
            bucket.refilledAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket.tokens) / ratePerSecond);
        }
    }
}
