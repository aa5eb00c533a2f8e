package dev.mailops.mailbox.domain.event;

import java.util.UUID;

/** The key neither signs nor is published any more; its sealed private key is tombstoned. */
public record DkimKeyRetired(String domain, String selector, UUID keyId) implements MailboxEvent {
}
