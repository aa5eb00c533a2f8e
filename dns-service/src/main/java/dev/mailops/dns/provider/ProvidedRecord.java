package dev.mailops.dns.provider;

/** A record a profile gives every domain: name relative to the zone ({@code @} the apex), type, presentation value. */
public record ProvidedRecord(String name, String type, String value) {
}
