package dev.mailops.kit.time;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/**
 * The one source of "now" in every service: whatever needs the time injects {@link Clock}, never
 * calls a static {@code now()}. It is a default bean, so a test puts a clock it moves forward in its
 * place, and a 48-hour quarantine or a billing period passes without waiting.
 */
@Singleton
public class SystemClock {

    @Produces
    @Singleton
    @DefaultBean
    Clock utc() {
        return Clock.systemUTC();
    }
}
