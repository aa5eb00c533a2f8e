package dev.mailops.dns.zone;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import dev.mailops.dns.zone.rules.ManagedBy;
import dev.mailops.dns.zone.rules.ZoneEntry;
import dev.mailops.kit.jdbc.Database;

/** A record of a zone ({@code dns_record}); {@code name} is relative to the zone ({@code @} for the apex). */
public class DnsRecord {

    /** From the column's default: null until stored. */
    public Long id;
    public String domain;
    public String tenantId;
    public String name;
    public String type;
    public int ttl;
    public String value;
    public ManagedBy managedBy;
    public Instant createdAt;

    /** The domain's own DKIM key this record publishes; null for every other record. */
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

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "id, domain, tenant_id, name, type, ttl, value, managed_by, created_at, dkim_key_id";

    static DnsRecord read(ResultSet row) throws SQLException {
        DnsRecord record = new DnsRecord();
        record.id = row.getLong("id");
        record.domain = row.getString("domain");
        record.tenantId = row.getString("tenant_id");
        record.name = row.getString("name");
        record.type = row.getString("type");
        record.ttl = row.getInt("ttl");
        record.value = row.getString("value");
        record.managedBy = ManagedBy.valueOf(row.getString("managed_by"));
        record.createdAt = Database.instant(row, "created_at");
        record.dkimKeyId = row.getObject("dkim_key_id", UUID.class);
        return record;
    }
}
