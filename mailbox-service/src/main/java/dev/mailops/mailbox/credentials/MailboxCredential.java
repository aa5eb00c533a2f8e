package dev.mailops.mailbox.credentials;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A mailbox's password hash; the only place it is kept. */
@Entity
@Table(name = "mailbox_credential")
public class MailboxCredential {
    @Id
    @Column(name = "mailbox_id")
    public UUID mailboxId;

    @Column(name = "password_hash", nullable = false, length = 255)
    public String passwordHash;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Override
    public String toString() {
        return "MailboxCredential[" + mailboxId + "]";
    }
}
