package dev.mailops.billing.events;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.CloudEventReader;

/**
 * billing-service's own view of the mailbox.events it bills: only the fields it needs, unknown
 * fields ignored. Kept apart from mailbox-service's classes on purpose; tested against the
 * published schemas in contract/mailbox-events.
 */
public final class MailboxEvents {

    private static final Map<String, Class<?>> BILLED = Map.of(
            "MailboxCreated", MailboxCreated.class,
            "MailboxDeleted", MailboxDeleted.class,
            "FeeChanged", FeeChanged.class);

    /** The types billing acts on; a record of one of them that breaks its schema is dead-lettered. */
    public static final Set<String> BILLED_TYPES = BILLED.keySet();

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

    /** The event's data as one of the classes above, or null for a type billing does not bill. */
    public static Object dataOf(CloudEvent event, CloudEventReader reader) {
        Class<?> type = BILLED.get(event.type());
        return type == null ? null : reader.data(event, type);
    }
}
