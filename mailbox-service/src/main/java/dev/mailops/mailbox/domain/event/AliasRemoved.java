package dev.mailops.mailbox.domain.event;

import java.time.Instant;
import java.util.UUID;

/** An alias was removed; its address cannot be used again before {@code blockedUntil}. */
public record AliasRemoved(UUID mailboxId, String alias, Instant blockedUntil) implements MailboxEvent {
}
