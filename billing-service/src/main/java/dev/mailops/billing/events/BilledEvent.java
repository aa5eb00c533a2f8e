package dev.mailops.billing.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A mailbox event as the contract rules see it: who, when, what caused it, and its data when the
 * type is billed (null for the types that change no contract).
 */
public record BilledEvent(UUID id, String type, String tenantId, String subject, Instant time,
        MailboxEvents.Billed data) {
}
