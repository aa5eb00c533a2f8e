package dev.mailops.mailbox.domain.event;

import java.time.Instant;

/**
 * A pending domain was not proven within the claim's lifetime: the claim ended, and with it everything
 * the tenant had prepared under the name (its mailboxes, aliases, DNS records and DKIM keys, each
 * ended by its own event before this one). Any tenant may register the name again; the tenant whose
 * claim expired only from {@code reclaimableAt}, so it cannot hold the name by claiming it anew at once.
 */
public record DomainClaimExpired(String domain, Instant reclaimableAt) implements MailboxEvent {
}
