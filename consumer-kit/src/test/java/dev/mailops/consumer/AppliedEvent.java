package dev.mailops.consumer;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What the test projections write per event: in which order ({@code id}) and in which
 * PostgreSQL transaction ({@code transactionId}) it was applied.
 */
@Entity
@Table(name = "applied_event")
public class AppliedEvent {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    UUID eventId;
    String projection;
    String tenantId;
    String subject;
    long transactionId;
}
