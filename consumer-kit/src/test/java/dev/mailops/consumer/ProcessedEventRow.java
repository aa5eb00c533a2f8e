package dev.mailops.consumer;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The table {@link ProcessedEvents} writes, as each consuming service creates it. */
@Entity
@Table(name = "processed_event")
public class ProcessedEventRow {
    @Id
    @Column(name = "event_id")
    UUID eventId;
    @Column(name = "tenant_id")
    String tenantId;
    @Column(name = "event_type")
    String eventType;
    @Column(name = "processed_at")
    Instant processedAt;
}
