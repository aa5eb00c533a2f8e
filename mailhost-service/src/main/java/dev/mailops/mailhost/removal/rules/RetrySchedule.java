package dev.mailops.mailhost.removal.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * When a failed removal of a deleted mailbox's mail is tried again: after the first delay, doubling
 * with each failure, never later than the longest delay (the mail host may be down for a while; the
 * removal must still happen soon after it is back).
 */
public record RetrySchedule(Duration firstDelay, Duration longestDelay) {

    public RetrySchedule {
        if (firstDelay.isNegative() || firstDelay.isZero() || longestDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("need 0 < firstDelay <= longestDelay");
        }
    }

    /** The next attempt after the {@code failures}-th failure in a row (1 for the first), failed at {@code now}. */
    public Instant nextAttempt(int failures, Instant now) {
        Duration delay = firstDelay;
        for (int i = 1; i < failures && delay.compareTo(longestDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return now.plus(delay.compareTo(longestDelay) > 0 ? longestDelay : delay);
    }
}
