package dev.mailops.mailbox.query;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A registered domain, whoever owns it: also the cross-tenant index of claimed names. */
@Entity
@Table(name = "mail_domain")
public class MailDomainView {
    @Id
    @Column(name = "domain", length = 253)
    public String domain;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "added_at", nullable = false)
    public Instant addedAt;

    /** The token of the proof record; null for a domain that needs none. */
    @Column(name = "verification_token", length = 64)
    public String verificationToken;

    /** dns-txt or none; null for a domain registered before proof was required. */
    @Column(name = "verification_method", length = 16)
    public String verificationMethod;

    /** Null while the domain is pending. */
    @Column(name = "verified_at")
    public Instant verifiedAt;

    /** When the checker next looks for the proof of a pending domain. */
    @Column(name = "next_verification_at")
    public Instant nextVerificationAt;
}
