package dev.mailops.mailbox.domain.event;

import java.util.UUID;

/** The mailbox moved from {@code previousRate} to {@code rate}; billing and quota follow from the event's time. */
public record RateChanged(UUID mailboxId, String address, String previousRate, String rate) implements MailboxEvent {
}
