package dev.mailops.mailhost.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The mail host's state as gauges, read from the database at each scrape: the mailboxes it serves,
 * and the removal backlog (deleted mailboxes whose mail is not removed yet, and the oldest one's age).
 * The counters are where things happen: {@code mailhost.events.applied}, {@code mailhost.credentials.applied},
 * {@code mailhost.removals}.
 */
@ApplicationScoped
public class MailHostGauges {

    @Inject
    AgroalDataSource dataSource;

    void register(@Observes StartupEvent start, MeterRegistry meters) {
        Gauge.builder("mailhost.mailboxes.active", () -> count("select count(*) from hosted_mailbox"))
                .description("Mailboxes the mail host serves").register(meters);
        Gauge.builder("mailhost.removals.pending", this::pendingRemovals)
                .description("Deleted mailboxes whose mail is not removed yet").register(meters);
        Gauge.builder("mailhost.removals.oldest.pending.seconds", this::oldestPendingSeconds)
                .description("Age of the oldest pending removal").register(meters);
    }

    public double pendingRemovals() {
        return count("select count(*) from mail_removal where removed_at is null");
    }

    public double oldestPendingSeconds() {
        return count("select coalesce(extract(epoch from now() - min(requested_at)), 0) from mail_removal "
                + "where removed_at is null");
    }

    private double count(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getDouble(1) : 0;
        } catch (SQLException e) {
            return Double.NaN;
        }
    }
}
