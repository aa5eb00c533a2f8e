package dev.mailops.consumer;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The clock the kit's consumers are given here, as a service's is by service-kit's SystemClock. Not
 * service-kit itself: the build runs this kit's tests beside service-kit's instead of after them.
 */
@Singleton
class KitClock {

    @Produces
    @Singleton
    Clock utc() {
        return Clock.systemUTC();
    }
}
