package dev.mailops.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mailops.gateway.limits.Buckets;
import dev.mailops.gateway.limits.LimitsDatabase;
import dev.mailops.gateway.limits.LimitsDatabase.TestClock;

/** The tenants' buckets on the real bucket table, shared by two gateway instances. */
class TenantRateLimiterTest {

    final TestClock clock = new TestClock(Instant.now());
    DataSource database;

    @BeforeEach
    void emptyTables() {
        database = LimitsDatabase.empty();
    }

    TenantRateLimiter instance(Buckets buckets, long ratePerSecond, long burst) {
        return TenantRateLimiter.over(buckets, ratePerSecond, burst);
    }

    @Test
    void refusesOverTheBurstWithTheSecondsToWait() {
        TenantRateLimiter limiter = instance(new Buckets(database, clock), 1, 2);

        assertThat(limiter.acquire("acme")).isZero();
        assertThat(limiter.acquire("acme")).isZero();
        assertThat(limiter.acquire("acme")).isEqualTo(1);
        assertThat(limiter.acquire("other")).as("another tenant has its own bucket").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.acquire("acme")).as("refilled").isZero();
    }

    @Test
    void twoGatewayInstancesGiveATenantItsBurstOnceUnderConcurrency() throws Exception {
        TenantRateLimiter first = instance(new Buckets(database, clock), 1, 30);
        TenantRateLimiter second = instance(new Buckets(database, clock), 1, 30);
        ExecutorService requests = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                TenantRateLimiter limiter = i % 2 == 0 ? first : second;
                calls.add(() -> limiter.acquire("acme"));
            }
            long passed = 0;
            for (Future<Long> call : requests.invokeAll(calls)) {
                passed += call.get() == 0 ? 1 : 0;
            }
            assertThat(passed).isEqualTo(30);
        } finally {
            requests.shutdownNow();
        }
    }

    @Test
    void thePurgeDeletesOnlyBucketsThatAreFullAgain() {
        Buckets buckets = new Buckets(database, clock);
        instance(buckets, 1000, 1).acquire("idle"); // full again after a millisecond
        TenantRateLimiter slow = instance(buckets, 1, 100);
        for (int i = 0; i < 100; i++) {
            slow.acquire("busy"); // full again only after 100 s
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> buckets.purge() == 1);
        assertThat(LimitsDatabase.count("SELECT count(*) FROM rate_limit_bucket")).as("busy").isEqualTo(1);
    }
}
