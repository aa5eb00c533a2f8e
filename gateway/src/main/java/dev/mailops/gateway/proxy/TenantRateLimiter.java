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

    /** How often (in calls) idle buckets are dropped, so memory follows the active tenants, not all tenants. */
    private static final int SWEEP_EVERY = 10_000;
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    /** 0 when the request may pass, else the seconds until a token is available (Retry-After). */
    public long acquire(String tenant) {
        if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep();
        }
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

    /** A bucket that has refilled completely is the same as a new one: dropping it changes nothing. */
    void sweep() {
        long now = System.nanoTime();
        buckets.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                return entry.getValue().tokens + (now - entry.getValue().refilledAt) / 1e9 * ratePerSecond >= burst;
            }
        });
    }

    int trackedTenants() {
        return buckets.size();
    }
}
