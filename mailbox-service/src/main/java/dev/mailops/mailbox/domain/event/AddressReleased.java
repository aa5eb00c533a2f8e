package dev.mailops.mailbox.domain.event;

import java.util.UUID;

/** The quarantine of a deleted mailbox's or alias's address ended; anyone may create it again. */
public record AddressReleased(UUID mailboxId, String address) implements MailboxEvent {
}
