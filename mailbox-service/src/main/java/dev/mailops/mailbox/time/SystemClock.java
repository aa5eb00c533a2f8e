package dev.mailops.mailbox.time;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one source of "now" in mailbox-service: everything that needs the time injects {@link Clock}.
 * Tests replace it with a clock they move forward, so a 48-hour quarantine passes without waiting.
 */
@ApplicationScoped
public class SystemClock {

    @Produces
    @Singleton
    Clock utc() {
        return Clock.systemUTC();
    }
}
