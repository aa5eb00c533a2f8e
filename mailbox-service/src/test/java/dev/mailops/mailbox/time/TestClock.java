package dev.mailops.mailbox.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The clock of every @QuarkusTest in this module: the system's UTC clock, moved forward by what the
 * tests {@link #advance advanced} it. It only ever moves forward, so a test that does not advance it
 * sees time pass as usual; a test that does lets a 48-hour quarantine pass at once.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {

    private static final Clock SYSTEM = Clock.systemUTC();
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("The test clock only moves forward");
        }
        offset.accumulateAndGet(duration, Duration::plus);
    }

    @Override
    public Instant instant() {
        return SYSTEM.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), offset.get());
    }
}
