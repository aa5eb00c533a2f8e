package dev.mailops.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantRateLimiterTest {

    private static TenantRateLimiter limiter(double ratePerSecond, double burst) {
        TenantRateLimiter limiter = new TenantRateLimiter();
        limiter.ratePerSecond = ratePerSecond;
        limiter.burst = burst;
        return limiter;
    }

    @Test
    void refusesOverTheBurstWithTheSecondsToWait() {
        TenantRateLimiter limiter = limiter(1, 2);

        assertThat(limiter.acquire("acme")).isZero();
        assertThat(limiter.acquire("acme")).isZero();
        assertThat(limiter.acquire("acme")).isEqualTo(1);
        assertThat(limiter.acquire("other")).as("another tenant has its own bucket").isZero();
    }

    @Test
    void forgetsOnlyTheTenantsWhoseBucketsRefilled() {
        TenantRateLimiter slow = limiter(0.001, 2);
        slow.acquire("busy");
        slow.sweep();
        assertThat(slow.trackedTenants()).as("a bucket still short of tokens is kept").isEqualTo(1);

        TenantRateLimiter fast = limiter(1e9, 2);
        fast.acquire("idle");
        fast.sweep();
        assertThat(fast.trackedTenants()).as("a full bucket is the same as none").isZero();
    }
}
