package dev.mailops.mailbox.query;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A domain's DKIM agenda: when the key keeper next has a step to take, and since when its selector signs. */
@Entity
@Table(name = "dkim_domain")
public class DkimDomainView {
    @Id
    @Column(name = "domain", length = 253)
    public String domain;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    /** Null when nothing is pending. */
    @Column(name = "next_step_at")
    public Instant nextStepAt;

    @Column(name = "active_selector", length = 63)
    public String activeSelector;

    @Column(name = "activated_at")
    public Instant activatedAt;
}
