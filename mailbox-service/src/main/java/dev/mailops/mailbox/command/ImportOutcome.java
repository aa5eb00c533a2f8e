package dev.mailops.mailbox.command;

import java.util.UUID;

/** What importing one mailbox did: created it (with its aliases), or found it there with the same fields. */
public record ImportOutcome(Kind kind, UUID mailboxId) {

    public enum Kind {
        CREATED, UNCHANGED
    }
}
