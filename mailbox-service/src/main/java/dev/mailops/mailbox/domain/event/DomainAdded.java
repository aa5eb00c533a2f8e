package dev.mailops.mailbox.domain.event;

/** A tenant registered a mail domain; it belongs to that tenant only. */
public record DomainAdded(String domain) implements MailboxEvent {
}
