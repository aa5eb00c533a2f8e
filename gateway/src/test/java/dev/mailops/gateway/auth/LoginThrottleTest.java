package dev.mailops.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    static final String ANNA = "user:anna";
    static final String OFFICE = "address:192.0.2.7";

    /** A clock the test moves forward, so the throttle's window passes without waiting. */
    static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-11-30T09:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        /** The zone does not matter to the throttle: the instant is what it compares. */
        @Override
        public Clock withZone(ZoneId zone) {
            return zone.equals(getZone()) ? this : Clock.fixed(now, zone);
        }
    }

    final TestClock clock = new TestClock();
    final LoginThrottle throttle = throttle(3, 10, Duration.ofMinutes(15));

    LoginThrottle throttle(int maxFailures, int maxFailuresPerAddress, Duration window) {
        LoginThrottle throttle = new LoginThrottle();
        throttle.clock = clock;
        throttle.maxFailures = maxFailures;
        throttle.maxFailuresPerAddress = maxFailuresPerAddress;
        throttle.window = window;
        return throttle;
    }

    void failures(int count, String... keys) {
        for (int i = 0; i < count; i++) {
            throttle.failed(keys);
        }
    }

    @Test
    void blocksAUsernameAfterItsFailuresUntilTheWindowSinceTheFirstHasPassed() {
        failures(2, ANNA, OFFICE);
        assertThat(throttle.blocked(ANNA, OFFICE)).as("under the limit").isEmpty();

        clock.advance(Duration.ofMinutes(5));
        failures(1, ANNA, OFFICE);
        assertThat(throttle.blocked(ANNA, OFFICE)).contains(Duration.ofMinutes(10));

        clock.advance(Duration.ofMinutes(9));
        assertThat(throttle.blocked(ANNA, OFFICE)).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(throttle.blocked(ANNA, OFFICE)).as("the window has passed").isEmpty();
    }

    @Test
    void aFailureAfterTheWindowStartsANewCount() {
        failures(2, ANNA);
        clock.advance(Duration.ofMinutes(16));
        failures(2, ANNA);
        assertThat(throttle.blocked(ANNA)).isEmpty();
        failures(1, ANNA);
        assertThat(throttle.blocked(ANNA)).contains(Duration.ofMinutes(15));
    }

    @Test
    void anAddressHasItsOwnHigherLimit() {
        for (int user = 0; user < 9; user++) {
            throttle.failed("user:u" + user, OFFICE);
        }
        assertThat(throttle.blocked(ANNA, OFFICE)).isEmpty();
        throttle.failed("user:u9", OFFICE);
        assertThat(throttle.blocked(ANNA, OFFICE)).as("anna never failed, her address did")
                .contains(Duration.ofMinutes(15));
        assertThat(throttle.blocked(ANNA, "address:198.51.100.1")).isEmpty();
    }

    @Test
    void aSuccessfulLoginResetsTheUsernameButNotTheAddress() {
        failures(3, ANNA);
        throttle.succeeded(ANNA);
        assertThat(throttle.blocked(ANNA)).isEmpty();

        LoginThrottle strict = throttle(3, 3, Duration.ofMinutes(15));
        for (int i = 0; i < 3; i++) {
            strict.failed(ANNA, OFFICE);
        }
        strict.succeeded(ANNA);
        assertThat(strict.blocked(ANNA, OFFICE)).contains(Duration.ofMinutes(15));
    }
}
