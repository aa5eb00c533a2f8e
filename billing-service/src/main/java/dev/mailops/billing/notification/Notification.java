package dev.mailops.billing.notification;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An email owed to a tenant, written with the change that caused it and sent after the commit. A
 * notice the mail server refuses is tried again from {@code nextAttemptAt}; after the last allowed
 * attempt it is {@code failedAt}, with the last error, and no longer tried.
 */
@Entity
@Table(name = "notification")
public class Notification {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "cause_event_id", nullable = false, unique = true)
    public UUID causeEventId;

    @Column(name = "recipient", nullable = false, length = 254)
    public String recipient;

    @Column(name = "subject", nullable = false, length = 200)
    public String subject;

    @Column(name = "body", nullable = false, length = 10000)
    public String body;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "attempts", nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "failed_at")
    public Instant failedAt;

    @Column(name = "last_error", length = 500)
    public String lastError;
}
