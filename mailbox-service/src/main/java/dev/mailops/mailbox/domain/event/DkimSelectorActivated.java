package dev.mailops.mailbox.domain.event;

import java.time.Instant;
import java.util.UUID;

/**
 * The selector's key signs the domain's mail from now on. On a rotation the previous key stops
 * signing at once and stays published until {@code previousKeyRetiresAt}; the three previous fields
 * are null for the domain's first activation.
 */
public record DkimSelectorActivated(String domain, String selector, UUID keyId, String previousSelector,
        UUID previousKeyId, Instant previousKeyRetiresAt) implements MailboxEvent {
}
