package dev.mailops.mailbox.query;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

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
}
