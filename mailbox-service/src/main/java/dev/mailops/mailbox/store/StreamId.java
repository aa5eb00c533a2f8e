package dev.mailops.mailbox.store;

import java.util.UUID;

/** An aggregate's stream: its type (the CloudEvents {@code aggregatetype}) and its id ({@code subject}). */
public record StreamId(String type, String id) {

    public static StreamId mailbox(UUID mailboxId) {
        return new StreamId("Mailbox", mailboxId.toString());
    }

    public static StreamId mailDomain(String domain) {
        return new StreamId("MailDomain", domain);
    }

    public static StreamId tenant(String tenantId) {
        return new StreamId("Tenant", tenantId);
    }

    @Override
    public String toString() {
        return type + "-" + id;
    }
}
