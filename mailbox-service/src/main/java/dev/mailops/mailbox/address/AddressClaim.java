package dev.mailops.mailbox.address;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An address in use by a mailbox or alias ({@code blockedUntil} null), or in quarantine after deletion. */
@Entity
@Table(name = "address_claim")
public class AddressClaim {

    public enum Kind {
        MAILBOX, ALIAS
    }

    @Id
    @Column(name = "address", length = 254)
    public String address;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "mailbox_id", nullable = false)
    public UUID mailboxId;

    @Enumerated(EnumType.STRING)
    @Column(name = "kind", nullable = false, length = 16)
    public Kind kind;

    @Column(name = "blocked_until")
    public Instant blockedUntil;

    public boolean blocked() {
        return blockedUntil != null;
    }
}
