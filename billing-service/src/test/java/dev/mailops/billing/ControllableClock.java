package dev.mailops.billing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The clock of billing-service in its @QuarkusTests, in place of the system clock: it runs with the
 * system clock until a test sets it, then stands where it was set and moves only when advanced.
 */
@Alternative
@Priority(1)
@Singleton
public class ControllableClock extends Clock {

    private volatile Instant fixed;

    /** Stops the clock at the instant. */
    public void set(Instant instant) {
        fixed = instant;
    }

    public void advance(Duration duration) {
        fixed = instant().plus(duration);
    }

    /** Lets it run with the system clock again. */
    public void release() {
        fixed = null;
    }

    @Override
    public Instant instant() {
        Instant at = fixed;
        return at == null ? Instant.now() : at;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same controllable time, seen in another zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        ControllableClock self = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return self.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return self.withZone(other);
            }
        };
    }
}
