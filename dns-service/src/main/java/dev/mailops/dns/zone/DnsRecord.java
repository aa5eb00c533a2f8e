package dev.mailops.dns.zone;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import dev.mailops.dns.zone.rules.ManagedBy;
import dev.mailops.dns.zone.rules.ZoneEntry;

/** A record of a zone; {@code name} is relative to the zone ({@code @} for the apex). */
@Entity
@Table(name = "dns_record")
public class DnsRecord {

    /** From blocks of the sequence, so that a zone's inserts go as one JDBC batch (V6). */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "dns_record_ids")
    @SequenceGenerator(name = "dns_record_ids", sequenceName = "dns_record_id_seq", allocationSize = 50)
    @Column(name = "id")
    public Long id;

    @Column(name = "domain", nullable = false, length = 253)
    public String domain;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "name", nullable = false, length = 253)
    public String name;

    @Column(name = "type", nullable = false, length = 10)
    public String type;

    @Column(name = "ttl", nullable = false)
    public int ttl;

    @Column(name = "value", nullable = false, length = 65535)
    public String value;

    @Enumerated(EnumType.STRING)
    @Column(name = "managed_by", nullable = false, length = 10)
    public ManagedBy managedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The domain's own DKIM key this record publishes; null for every other record. */
    @Column(name = "dkim_key_id")
    public UUID dkimKeyId;

    public static DnsRecord of(DnsZone zone, String name, String type, int ttl, String value, ManagedBy managedBy,
            Instant now) {
        DnsRecord record = new DnsRecord();
        record.domain = zone.domain;
        record.tenantId = zone.tenantId;
        record.name = name;
        record.type = type;
        record.ttl = ttl;
        record.value = value;
        record.managedBy = managedBy;
        record.createdAt = now;
        return record;
    }

    public static DnsRecord of(DnsZone zone, ZoneEntry entry, Instant now) {
        DnsRecord record = of(zone, entry.name(), entry.type(), entry.ttl(), entry.value(), entry.managedBy(), now);
        record.dkimKeyId = entry.dkimKey();
        return record;
    }

    /** The record as the zone rules see it. */
    public ZoneEntry entry() {
        return new ZoneEntry(name, type, ttl, value, managedBy, dkimKeyId);
    }
}
