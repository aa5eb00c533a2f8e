package dev.mailops.mailhost.removal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(5), Duration.ofMinutes(10));

    @Test
    void theDelayDoublesWithEachFailureInARow() {
        assertThat(schedule.nextAttempt(1, NOW)).isEqualTo(NOW.plusSeconds(5));
        assertThat(schedule.nextAttempt(2, NOW)).isEqualTo(NOW.plusSeconds(10));
        assertThat(schedule.nextAttempt(4, NOW)).isEqualTo(NOW.plusSeconds(40));
    }

    @Test
    void neverLaterThanTheLongestDelay() {
        assertThat(schedule.nextAttempt(8, NOW)).isEqualTo(NOW.plusSeconds(600));
        assertThat(schedule.nextAttempt(10_000, NOW)).isEqualTo(NOW.plusSeconds(600));
    }

    @Test
    void theDelaysMustMakeSense() {
        assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofMinutes(2), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
