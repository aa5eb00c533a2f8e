package dev.mailops.dns.zone;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.mailops.kit.jdbc.Database;

/**
 * A tenant's domain, served by this service once it is verified. {@code serial} rises with every change; the zone is
 * announced on dns.events until {@code publishedSerial} has caught up.
 */
public class DnsZone {
    public String domain;
    public String tenantId;
    public long serial;
    public long publishedSerial;
    public Instant createdAt;
    public Instant updatedAt;

    /** Its domain is proven (DomainVerified, or a DomainAdded that needed no proof): only then is it served. */
    public boolean verified;

    /** A new zone at serial 1, nothing announced yet; served only when {@code verified}. */
    public static DnsZone provisioned(String domain, String tenantId, boolean verified, Instant at) {
        DnsZone zone = new DnsZone();
        zone.domain = domain;
        zone.tenantId = tenantId;
        zone.serial = 1;
        zone.createdAt = at;
        zone.updatedAt = at;
        zone.verified = verified;
        return zone;
    }

    /** Every change raises the serial, so secondaries, caches and announcements see it. */
    public void changed(Instant at) {
        serial++;
        updatedAt = at;
    }

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "domain, tenant_id, serial, published_serial, created_at, updated_at, verified";

    static DnsZone read(ResultSet row) throws SQLException {
        DnsZone zone = new DnsZone();
        zone.domain = row.getString("domain");
        zone.tenantId = row.getString("tenant_id");
        zone.serial = row.getLong("serial");
        zone.publishedSerial = row.getLong("published_serial");
        zone.createdAt = Database.instant(row, "created_at");
        zone.updatedAt = Database.instant(row, "updated_at");
        zone.verified = row.getBoolean("verified");
        return zone;
    }
}
