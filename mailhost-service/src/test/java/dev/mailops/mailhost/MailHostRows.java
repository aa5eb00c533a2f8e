package dev.mailops.mailhost;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;

import dev.mailops.testinfra.InfrastructureSettings;
import dev.mailops.testinfra.MailHost;

/**
 * Rows of the mail host's schema, written straight into the test database: what mailhost-service will
 * keep from the events, and what Dovecot and Postfix read through the views.
 */
final class MailHostRows {

    static final long GIB = 1024L * 1024 * 1024;

    private final InfrastructureSettings settings;
    private final String database;

    /** Rows in the database that this mail host reads. */
    MailHostRows(MailHost mailHost) {
        this.settings = mailHost.databaseServer();
        this.database = mailHost.database();
    }

    /** A fresh schema from the service's own migrations. */
    void migrateFresh() {
        settings.ensureDatabase(database);
        Flyway flyway = Flyway.configure()
                .dataSource(settings.jdbcUrl(database), settings.pgUser(), settings.pgPassword())
                .locations("classpath:db/migration")
                .cleanDisabled(false)
                .load();
        flyway.clean();
        flyway.migrate();
    }

    void domain(String domain) {
        update("insert into mail_domain (domain, tenant_id, created_at) values (?, 'tenant-it', ?)", domain, now());
    }

    UUID mailbox(String address, String password, long quotaBytes) {
        UUID id = UUID.randomUUID();
        String domain = address.substring(address.indexOf('@') + 1);
        String localPart = address.substring(0, address.indexOf('@'));
        update("""
                insert into mailbox (id, tenant_id, address, domain, quota_bytes, maildir, created_at, updated_at)
                values (?, 'tenant-it', ?, ?, ?, ?, ?, ?)""",
                id, address, domain, quotaBytes, domain + "/" + localPart, now(), now());
        update("insert into mailbox_credential (mailbox_id, password_hash, updated_at) values (?, ?, ?)",
                id, DovecotPasswords.hash(password), now());
        return id;
    }

    void alias(String address, UUID mailbox) {
        update("insert into alias (address, mailbox_id, created_at) values (?, ?, ?)", address, mailbox, now());
    }

    void forwarding(UUID mailbox, boolean keepCopy, String... targets) {
        update("update mailbox set keep_copy = ? where id = ?", keepCopy, mailbox);
        for (String target : targets) {
            update("insert into forwarding (mailbox_id, target) values (?, ?)", mailbox, target);
        }
    }

    void password(UUID mailbox, String password) {
        update("update mailbox_credential set password_hash = ?, updated_at = ? where mailbox_id = ?",
                DovecotPasswords.hash(password), now(), mailbox);
    }

    void deactivate(UUID mailbox) {
        update("update mailbox set active = false, updated_at = ? where id = ?", now(), mailbox);
    }

    void delete(UUID mailbox) {
        update("delete from mailbox where id = ?", mailbox);
    }

    /** The rows a query answers, each as its columns' text, in the query's order. */
    List<List<String>> select(String sql, Object... parameters) {
        try (Connection connection = settings.connect(database);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    List<String> row = new ArrayList<>();
                    for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                        row.add(result.getString(column));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = settings.connect(database);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
