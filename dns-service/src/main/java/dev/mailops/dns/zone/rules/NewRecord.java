package dev.mailops.dns.zone.rules;

/** What the domain assistant takes: a blank source means the apex, no TTL the provider's. */
public record NewRecord(String source, String type, String value, Integer ttl) {
}
