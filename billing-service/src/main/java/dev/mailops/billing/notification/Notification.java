package dev.mailops.billing.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import dev.mailops.kit.jdbc.Database;

/**
 * An email owed to a tenant, written with the change that caused it and sent after the commit. A
 * notice the mail server refuses is tried again from {@code nextAttemptAt}; after the last allowed
 * attempt it is {@code failedAt}, with the last error, and no longer tried.
 */
public class Notification {
    public Long id;
    public String tenantId;
    public UUID causeEventId;
    public String recipient;
    public String subject;
    public String body;
    public Instant createdAt;
    public Instant sentAt;
    public int attempts;
    public Instant nextAttemptAt;
    public Instant failedAt;
    public String lastError;

    /** The columns {@link #read} reads, in the order of the fields. */
    public static final String COLUMNS = "id, tenant_id, cause_event_id, recipient, subject, body, created_at, sent_at, attempts, next_attempt_at, failed_at, last_error";

    public static Notification read(ResultSet row) throws SQLException {
        Notification value = new Notification();
        value.id = row.getLong("id");
        value.tenantId = row.getString("tenant_id");
        value.causeEventId = row.getObject("cause_event_id", UUID.class);
        value.recipient = row.getString("recipient");
        value.subject = row.getString("subject");
        value.body = row.getString("body");
        value.createdAt = Database.instant(row, "created_at");
        value.sentAt = Database.instant(row, "sent_at");
        value.attempts = row.getInt("attempts");
        value.nextAttemptAt = Database.instant(row, "next_attempt_at");
        value.failedAt = Database.instant(row, "failed_at");
        value.lastError = row.getString("last_error");
        return value;
    }
}
