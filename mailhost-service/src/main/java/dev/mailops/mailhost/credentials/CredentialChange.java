package dev.mailops.mailhost.credentials;

import java.time.Instant;
import java.util.UUID;

/** What a record of mailbox.credentials says about a mailbox's password hash. */
public sealed interface CredentialChange permits CredentialChange.Credential, CredentialChange.Revoked {

    UUID mailboxId();

    /** The mailbox's current hash, in the form Dovecot verifies; never shown by {@link #toString()}. */
    record Credential(UUID mailboxId, String passwordHash, Instant at) implements CredentialChange {
        @Override
        public String toString() {
            return "Credential[mailboxId=" + mailboxId + ", passwordHash=(hidden), at=" + at + "]";
        }
    }

    /** A tombstone: the mailbox has no credential any more. */
    record Revoked(UUID mailboxId) implements CredentialChange {
    }
}
