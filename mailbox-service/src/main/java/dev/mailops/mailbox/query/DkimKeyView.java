package dev.mailops.mailbox.query;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A domain's current DKIM key under one selector: its public half and where it is in its lifecycle. */
@Entity
@Table(name = "dkim_key")
public class DkimKeyView {

    /** generated (not yet served by DNS), published (standby), active (signs), retiring (replaced, still published). */
    public enum State {
        GENERATED, PUBLISHED, ACTIVE, RETIRING
    }

    @Id
    @Column(name = "key_id")
    public UUID keyId;

    @Column(name = "domain", nullable = false, length = 253)
    public String domain;

    @Column(name = "selector", nullable = false, length = 63)
    public String selector;

    @Column(name = "algorithm", nullable = false, length = 32)
    public String algorithm;

    @Column(name = "public_key", nullable = false, columnDefinition = "text")
    public String publicKey;

    @Column(name = "record", nullable = false, columnDefinition = "text")
    public String record;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @Column(name = "state", nullable = false, length = 16)
    public State state;

    @Column(name = "generated_at", nullable = false)
    public Instant generatedAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "retires_at")
    public Instant retiresAt;
}
