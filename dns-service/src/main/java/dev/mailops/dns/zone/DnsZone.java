package dev.mailops.dns.zone;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "dns_zone")
public class DnsZone {
    @Id
    @Column(name = "domain", length = 253)
    public String domain;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "serial", nullable = false)
    public long serial;

    @Column(name = "published_serial", nullable = false)
    public long publishedSerial;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
