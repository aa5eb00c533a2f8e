package dev.mailops.mailbox.domain.event;

import java.util.List;
import java.util.UUID;

/** A mailbox was created. The password is never part of an event. */
public record MailboxCreated(
        UUID mailboxId,
        String address,
        String localPart,
        String domain,
        String firstName,
        String lastName,
        String systemUserId,
        List<String> forwardTo,
        boolean keepCopy,
        String rate) implements MailboxEvent {

    public MailboxCreated {
        forwardTo = List.copyOf(forwardTo);
    }
}
