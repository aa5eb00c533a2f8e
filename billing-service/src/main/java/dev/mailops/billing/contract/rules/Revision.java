package dev.mailops.billing.contract.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One change of a contract, the mailbox event that caused it, and the contract's figures after it. */
public record Revision(String tenantId, int revision, UUID causeEventId, String causeEventType, String causeSubject,
        Instant occurredAt, String change, String basicFeePlan, int activeMailboxes, BigDecimal monthlyNetTotal) {
}
