package dev.mailops.mailbox.domain.event;

import java.util.UUID;

/**
 * The mailbox has a new password. Like every event it carries no secret: the new hash goes only to
 * the restricted credentials topic, in the same transaction.
 */
public record PasswordChanged(UUID mailboxId, String address) implements MailboxEvent {
}
