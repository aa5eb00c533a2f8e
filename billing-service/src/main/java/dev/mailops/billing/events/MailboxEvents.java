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

    private static final Map<String, Class<? extends Billed>> BILLED = Map.of(
            "MailboxCreated", MailboxCreated.class,
            "MailboxDeleted", MailboxDeleted.class,
            "FeeChanged", FeeChanged.class,
            "RateChanged", RateChanged.class);

    /** The types billing acts on; a record of one of them that breaks its schema is dead-lettered. */
    public static final Set<String> BILLED_TYPES = BILLED.keySet();

    private MailboxEvents() {
    }

    /** The data of a type that changes a contract. */
    public sealed interface Billed permits MailboxCreated, MailboxDeleted, FeeChanged, RateChanged {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MailboxCreated(UUID mailboxId, String address, String rate) implements Billed {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MailboxDeleted(UUID mailboxId, String address, Instant blockedUntil) implements Billed {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FeeChanged(String oldPlan, String newPlan) implements Billed {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RateChanged(UUID mailboxId, String address, String previousRate, String rate) implements Billed {
    }

    /** The event's data as one of the classes above, or null for a type billing does not bill. */
    public static Billed dataOf(CloudEvent event, CloudEventReader reader) {
        Class<? extends Billed> type = BILLED.get(event.type());
        return type == null ? null : reader.data(event, type);
    }

    /** The event as the contract rules take it, with its data read. */
    public static BilledEvent billed(CloudEvent event, CloudEventReader reader) {
        return new BilledEvent(event.id(), event.type(), event.tenantId(), event.subject(), event.time(),
                dataOf(event, reader));
    }
}
