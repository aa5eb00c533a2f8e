package dev.mailops.consumer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * The idempotent-consumer record. Each consuming service has the table
 * {@code processed_event (event_id uuid primary key, tenant_id, event_type, processed_at)}; marking an
 * event in the transaction that applies it makes a redelivery (same {@code ce_id}) recognisable, also
 * when two instances receive it at once: the second insert waits for the first and then finds the row.
 * One JDBC statement on the transaction's connection: a native query through Hibernate would first flush
 * the persistence context, on every event.
 */
@ApplicationScoped
public class ProcessedEvents {

    private static final String INSERT = """
            insert into processed_event (event_id, tenant_id, event_type, processed_at) values (?, ?, ?, ?)
            on conflict (event_id) do nothing""";

    @Inject
    DataSource dataSource;
    @Inject
    Clock clock;

    /** True the first time the event is seen; false for a redelivery. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(CloudEvent event) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, event.id());
            insert.setString(2, event.tenantId());
            insert.setString(3, event.type());
            insert.setObject(4, Instant.now(clock).truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record event " + event.id() + " as processed", e);
        }
    }
}
