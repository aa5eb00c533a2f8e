package dev.mailops.mailbox.domain.event;

import java.util.UUID;

/** Every authoritative DNS server of the deployment was seen serving the key: it may sign from now on. */
public record DkimKeyPublished(String domain, String selector, UUID keyId) implements MailboxEvent {
}
