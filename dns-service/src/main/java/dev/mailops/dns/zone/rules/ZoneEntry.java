package dev.mailops.dns.zone.rules;

/**
 * A record of a zone as the rules see it: {@code name} relative to the zone ({@code @} for the apex),
 * the type in upper case, the value in presentation format as stored.
 */
public record ZoneEntry(String name, String type, int ttl, String value, ManagedBy managedBy) {

    /** A TXT record at the apex that is an SPF record. */
    public boolean isApexSpf() {
        return name.equals("@") && type.equals("TXT") && Spf.isSpf(value);
    }
}
