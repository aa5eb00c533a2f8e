package dev.mailops.mailbox.domain.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A mailbox and all its aliases were deleted; the mail in it is no longer accessible. Every address
 * listed stays blocked until {@code blockedUntil}.
 */
public record MailboxDeleted(UUID mailboxId, String address, List<String> aliases, String rate, Instant blockedUntil)
        implements MailboxEvent {

    public MailboxDeleted {
        aliases = List.copyOf(aliases);
    }
}
