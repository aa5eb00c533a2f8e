package dev.mailops.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
import dev.mailops.kit.jdbc.Database;

/** The login throttle's rules on the real bucket table, with a clock the test moves. */
class LoginThrottleTest {

    static final String OFFICE = "192.0.2.7";
    static final String HOME = "198.51.100.23";

    final TestClock clock = new TestClock(Instant.now());
    DataSource database;
    LoginThrottle throttle;

    @BeforeEach
    void emptyTables() {
        database = LimitsDatabase.empty();
        throttle = throttle(new Buckets(database, clock));
    }

    /** An instance of the gateway: 3 attempts per client and user, 10 per client, 6 per user, over 15 minutes. */
    LoginThrottle throttle(Buckets buckets) {
        LoginThrottle instance = new LoginThrottle();
        instance.buckets = buckets;
        instance.database = new Database(database);
        instance.clock = clock;
        instance.maxFailures = 3;
        instance.maxFailuresPerClient = 10;
        instance.maxFailuresPerUsername = 6;
        instance.window = Duration.ofMinutes(15);
        instance.knownClientLifetime = Duration.ofDays(30);
        return instance;
    }

    void failures(int count, String username, String client) {
        for (int i = 0; i < count; i++) {
            assertThat(throttle.attempt(username, client).refused()).as("attempt %d of %s from %s", i, username, client)
                    .isEmpty();
        }
    }

    Optional<Duration> next(String username, String client) {
        return throttle.attempt(username, client).refused();
    }

    @Test
    void aClientAndUsernameGetTheirAttemptsThenOneAtATimeAsTheWindowRefills() {
        failures(3, "anna", HOME);

        assertThat(next("anna", HOME)).as("a refill is 15 min / 3").contains(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));
        assertThat(next("anna", HOME)).as("one attempt refilled").isEmpty();
        assertThat(next("anna", HOME)).isPresent();
    }

    @Test
    void upperAndLowerCaseAreOneUsername() {
        failures(3, "anna", HOME);

        assertThat(next("ANNA", HOME)).isPresent();
    }

    @Test
    void aSuccessfulLoginCountsForNothingAndStartsTheClientsCountAgain() {
        failures(2, "anna", HOME);
        throttle.attempt("anna", HOME).succeeded();

        failures(3, "anna", HOME);
        assertThat(next("anna", HOME)).isPresent();
    }

    @Test
    void aClientHasItsOwnHigherLimitOverAllUsernames() {
        for (int user = 0; user < 10; user++) {
            failures(1, "u" + user, OFFICE);
        }

        assertThat(next("anna", OFFICE)).as("anna never failed, her client did").isPresent();
        assertThat(next("anna", HOME)).as("another client").isEmpty();
    }

    @Test
    void guessesFromOtherClientsDoNotLockOutAClientThatLoggedInBefore() {
        throttle.attempt("admin", OFFICE).succeeded();

        for (int attacker = 0; attacker < 3; attacker++) { // 3 clients x 3 attempts exceed the 6 per username
            for (int i = 0; i < 3; i++) {
                throttle.attempt("admin", "203.0.113." + attacker);
            }
        }

        assertThat(next("admin", "203.0.113.99")).as("a new client is slowed down for this username").isPresent();
        assertThat(next("admin", OFFICE)).as("the known client keeps its own allowance").isEmpty();
    }

    @Test
    void aKnownClientStillHasItsOwnLimit() {
        throttle.attempt("admin", OFFICE).succeeded();

        failures(3, "admin", OFFICE);

        assertThat(next("admin", OFFICE)).isPresent();
    }

    @Test
    void anIpv6ClientIsItsSlash64() {
        failures(3, "anna", "2001:db8:1:2::1");

        assertThat(next("anna", "2001:db8:1:2:ffff:ffff:ffff:ffff")).isPresent();
        assertThat(next("anna", "2001:db8:1:3::1")).isEmpty();
    }

    @Test
    void parallelAttemptsOnTwoGatewayInstancesGetTheLimitOnce() throws Exception {
        LoginThrottle other = throttle(new Buckets(database, clock));
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                LoginThrottle instance = i % 2 == 0 ? throttle : other;
                attempts.add(() -> instance.attempt("anna", HOME).refused().isEmpty());
            }
            long allowed = 0;
            for (Future<Boolean> allowedOne : clients.invokeAll(attempts)) {
                allowed += allowedOne.get() ? 1 : 0;
            }
            assertThat(allowed).isEqualTo(3);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void longRandomUsernamesNeitherGrowKeysNorTheTablePastTheClientsLimit() {
        for (int i = 0; i < 200; i++) {
            throttle.attempt(UUID.randomUUID().toString().repeat(100), OFFICE);
        }

        assertThat(LimitsDatabase.count("SELECT max(length(id)) FROM rate_limit_bucket")).isLessThanOrEqualTo(56);
        assertThat(LimitsDatabase.count("SELECT count(*) FROM rate_limit_bucket"))
                .as("the client's bucket and two per username it was allowed to try").isEqualTo(1 + 2 * 10);
    }
}
