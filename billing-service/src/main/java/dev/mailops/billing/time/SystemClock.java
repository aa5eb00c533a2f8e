package dev.mailops.billing.time;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one source of "now" in billing-service: every timestamp it writes comes from the injected
 * {@link Clock} (the system clock in UTC), so tests can put a controllable one in its place.
 */
@Singleton
public class SystemClock {

    @Produces
    @Singleton
    Clock utc() {
        return Clock.systemUTC();
    }
}
