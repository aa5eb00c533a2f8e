package dev.mailops.mailbox.domain.event;

/** The tenant's basic fee plan changed; it applies to all mailboxes of the tenant. */
public record FeeChanged(String oldPlan, String newPlan) implements MailboxEvent {
}
