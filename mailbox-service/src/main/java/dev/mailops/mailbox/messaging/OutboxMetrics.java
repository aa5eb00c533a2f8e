package dev.mailops.mailbox.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The outbox as operators watch it: how many committed events are not yet on the topic, and how old
 * the oldest of them is. Read from the database at scrape time, so every instance reports the truth.
 */
@ApplicationScoped
public class OutboxMetrics {

    @Inject
    AgroalDataSource dataSource;

    void register(@Observes StartupEvent event, MeterRegistry meters) {
        Gauge.builder("mailbox.outbox.backlog", this, metrics -> metrics.query("select count(*) from outbox"))
                .description("Committed events waiting for the relay")
                .register(meters);
        Gauge.builder("mailbox.outbox.oldest.age.seconds", this, metrics -> metrics.query(
                "select coalesce(extract(epoch from now() - min(enqueued_at)), 0) from outbox"))
                .description("Age of the oldest unpublished event")
                .register(meters);
    }

    private double query(String sql) {
        try (var connection = dataSource.getConnection();
             var statement = connection.createStatement();
             var result = statement.executeQuery(sql)) {
            return result.next() ? result.getDouble(1) : Double.NaN;
        } catch (java.sql.SQLException e) {
            return Double.NaN;
        }
    }
}
