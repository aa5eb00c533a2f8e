package dev.mailops.mailbox.domain.event;

import java.util.UUID;

/** An additional address (alias) now delivers to the mailbox (manual, table 2). */
public record AliasAdded(UUID mailboxId, String alias) implements MailboxEvent {
}
