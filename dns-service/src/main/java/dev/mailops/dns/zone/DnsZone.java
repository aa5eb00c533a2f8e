package dev.mailops.dns.zone;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A tenant's domain, served by this service once it is verified. {@code serial} rises with every change; the zone is
 * announced on dns.events until {@code publishedSerial} has caught up.
 */
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

    /** Its domain is proven (DomainVerified, or a DomainAdded that needed no proof): only then is it served. */
    @Column(name = "verified", nullable = false)
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
}
