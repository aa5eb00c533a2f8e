package dev.mailops.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mailops.gateway.limits.Buckets;
import dev.mailops.gateway.limits.LimitsDatabase;
import dev.mailops.gateway.limits.LimitsDatabase.TestClock;

/**
 * The tenants' buckets on the real bucket table, shared by two gateway instances, each of which takes a few
 * tokens on its own between its round trips to the table.
 */
class TenantRateLimiterTest {

    final TestClock clock = new TestClock(Instant.now());
    DataSource database;

    @BeforeEach
    void emptyTables() {
        database = LimitsDatabase.empty();
    }

    static final long UNSYNCHRONIZED = 5;
    static final Duration MAX_UNSYNCHRONIZED = Duration.ofSeconds(1);

    TenantRateLimiter instance(Buckets buckets, long ratePerSecond, long burst) {
        return TenantRateLimiter.over(buckets, ratePerSecond, burst, UNSYNCHRONIZED, MAX_UNSYNCHRONIZED);
    }

    /** The tests' database, counting the connections taken from it: one per round trip to the bucket table. */
    DataSource counted(AtomicInteger roundTrips, AtomicBoolean available) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] { DataSource.class },
                (proxy, method, arguments) -> {
                    if (method.getName().equals("getConnection")) {
                        roundTrips.incrementAndGet();
                        if (!available.get()) {
                            throw new SQLException("the database does not answer");
                        }
                    }
                    try {
                        return method.invoke(database, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
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
        TenantRateLimiter first = TenantRateLimiter.over(new Buckets(database, clock), 1, 30, 0, MAX_UNSYNCHRONIZED);
        TenantRateLimiter second = TenantRateLimiter.over(new Buckets(database, clock), 1, 30, 0, MAX_UNSYNCHRONIZED);
        assertThat(passedOf60Concurrently(first, second)).as("asking the table every time").isEqualTo(30);

        LimitsDatabase.empty();
        first = instance(new Buckets(database, clock), 1, 30);
        second = instance(new Buckets(database, clock), 1, 30);
        assertThat(passedOf60Concurrently(first, second)).as("each instance takes up to %d on its own", UNSYNCHRONIZED)
                .isBetween(30L, 30 + 2 * UNSYNCHRONIZED);
    }

    private static long passedOf60Concurrently(TenantRateLimiter first, TenantRateLimiter second) throws Exception {
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
            return passed;
        } finally {
            requests.shutdownNow();
        }
    }

    @Test
    void overTimeTwoInstancesKeepTheRateWithATenthOfTheRoundTrips() {
        AtomicInteger roundTrips = new AtomicInteger();
        DataSource table = counted(roundTrips, new AtomicBoolean(true));
        TenantRateLimiter first = instance(new Buckets(table, clock), 10, 10);
        TenantRateLimiter second = instance(new Buckets(table, clock), 10, 10);
        int attempts = 0;
        long passed = 0;
        // 30 s of the test's clock, each instance asked every 20 ms: 5 times the rate
        for (int step = 0; step < 1500; step++) {
            clock.advance(Duration.ofMillis(20));
            for (TenantRateLimiter instance : List.of(first, second)) {
                attempts++;
                passed += instance.acquire("acme") == 0 ? 1 : 0;
            }
        }

        // 10 a second after the burst of 10; what one instance took on its own is charged at its next round trip
        assertThat(passed).isBetween(300L, 310 + 2 * 2 * UNSYNCHRONIZED);
        assertThat(roundTrips.get()).as("round trips for %d requests", attempts).isLessThan(attempts / 10);
    }

    @Test
    void withoutTheDatabaseAnInstancePassesAtMostItsOwnTokensThenFails() {
        AtomicBoolean available = new AtomicBoolean(true);
        TenantRateLimiter limiter = instance(new Buckets(counted(new AtomicInteger(), available), clock), 10, 100);
        assertThat(limiter.acquire("acme")).isZero(); // the first asks the table
        available.set(false);

        int passed = 0;
        RuntimeException failure = null;
        for (int i = 0; i < 20 && failure == null; i++) {
            try {
                passed += limiter.acquire("acme") == 0 ? 1 : 0;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        assertThat(passed).isEqualTo(UNSYNCHRONIZED);
        assertThat(failure).as("then the table must answer (the gateway answers 503)").isNotNull();
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
