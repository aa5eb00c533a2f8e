package dev.mailops.mailbox.domain.event;

import java.util.UUID;

/** An additional address (alias) now delivers to the mailbox. */
public record AliasAdded(UUID mailboxId, String alias) implements MailboxEvent {
}
