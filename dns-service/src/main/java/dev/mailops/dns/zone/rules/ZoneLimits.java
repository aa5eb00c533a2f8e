package dev.mailops.dns.zone.rules;

/**
 * How much one zone may hold, so that no tenant can grow its answers (and the DNS server's memory)
 * without bound: the number of records, the provider's included, and the bytes of all its TXT data.
 */
public record ZoneLimits(int maxRecords, int maxTxtBytes) {

    public ZoneLimits {
        if (maxRecords < 1 || maxTxtBytes < 1) {
            throw new IllegalArgumentException("zone limits must be positive");
        }
    }
}
