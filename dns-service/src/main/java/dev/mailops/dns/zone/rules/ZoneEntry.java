package dev.mailops.dns.zone.rules;

import java.util.UUID;

/**
 * A record of a zone as the rules see it: {@code name} relative to the zone ({@code @} for the apex),
 * the type in upper case, the value in presentation format as stored, and {@code dkimKey}, the id of the
 * domain's own DKIM key the record publishes (null for every other record, a profile's fixed DKIM keys too).
 */
public record ZoneEntry(String name, String type, int ttl, String value, ManagedBy managedBy, UUID dkimKey) {

    public ZoneEntry(String name, String type, int ttl, String value, ManagedBy managedBy) {
        this(name, type, ttl, value, managedBy, null);
    }

    /** A TXT record at the apex that is an SPF record. */
    public boolean isApexSpf() {
        return name.equals("@") && type.equals("TXT") && Spf.isSpf(value);
    }
}
