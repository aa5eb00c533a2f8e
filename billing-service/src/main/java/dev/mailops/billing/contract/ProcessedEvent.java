package dev.mailops.billing.contract;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An event already applied: written in the transaction that applies it, so a redelivery changes nothing. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent {
    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "event_type", nullable = false, length = 64)
    public String eventType;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;
}
