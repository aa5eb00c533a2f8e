package dev.mailops.mailbox.domain.event;

/**
 * The tenant proved it controls the domain ({@code dns-txt}), or the deployment asks for no proof
 * ({@code none}). Only from now on is the domain served and does it receive mail.
 */
public record DomainVerified(String domain, String method) implements MailboxEvent {
}
