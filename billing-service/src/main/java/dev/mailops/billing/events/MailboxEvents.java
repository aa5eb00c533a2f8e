package dev.mailops.billing.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * billing-service's own view of the mailbox.events it bills: only the fields it needs, unknown
 * fields ignored. Kept apart from mailbox-service's classes on purpose; tested against the
 * published schemas in contract/events.
 */
public final class MailboxEvents {

    private MailboxEvents() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MailboxCreated(UUID mailboxId, String address, String rate) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MailboxDeleted(UUID mailboxId, String address, Instant blockedUntil) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FeeChanged(String oldPlan, String newPlan) {
    }
}
