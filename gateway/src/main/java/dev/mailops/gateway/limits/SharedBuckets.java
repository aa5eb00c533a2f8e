package dev.mailops.gateway.limits;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/** The one {@link Buckets} of the gateway, on its datasource, and the periodic purge of expired buckets. */
@ApplicationScoped
public class SharedBuckets {

    private static final Logger LOG = Logger.getLogger(SharedBuckets.class);

    @ConfigProperty(name = "gateway.rate-limit.purge-interval", defaultValue = "PT1M")
    Duration purgeInterval;

    @Produces
    @Singleton
    Buckets buckets(AgroalDataSource dataSource, Clock clock) {
        return new Buckets(dataSource, clock);
    }

    void schedulePurge(@Observes StartupEvent started, Vertx vertx, Buckets buckets) {
        vertx.setPeriodic(purgeInterval.toMillis(), id -> vertx.executeBlocking(() -> {
            try {
                int removed = buckets.purge();
                LOG.debugf("Purged %d expired rate-limit buckets", removed);
            } catch (RuntimeException e) {
                LOG.warnf("Could not purge expired rate-limit buckets: %s", e.getMessage());
            }
            return null;
        }, false));
    }
}
