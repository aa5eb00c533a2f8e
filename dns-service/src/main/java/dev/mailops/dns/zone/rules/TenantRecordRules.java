package dev.mailops.dns.zone.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * What a tenant may do with its zone through the domain assistant, decided from the zone's records
 * alone: which records it may add (name, type, value and TTL checked), that a CNAME is the only
 * record of its name, that the domain keeps exactly one SPF record within RFC 7208's limit of 10
 * lookups, that the zone stays within its {@link ZoneLimits}, and that the provider's records stay. Also how that one SPF record is served: the
 * tenant's terms merged into the provider's record.
 */
public final class TenantRecordRules {

    /** Types a tenant may add: TXT records as the domain assistant configures them, and what mail setups need. */
    public static final Set<String> TENANT_TYPES = Set.of("A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA");
    public static final int MIN_TTL = 60;
    /** One week. */
    public static final int MAX_TTL = 604_800;

    private final String providerSpfTerms;
    private final String providerSpfAll;
    private final int defaultTtl;
    private final ZoneLimits limits;

    /**
     * @param providerSpfTerms   the provider's SPF mechanisms, e.g. {@code include:mailbox.org} or
     *                           {@code a:mail.example.net}
     * @param providerSpfAll     the provider's final {@code all} term, e.g. {@code ~all}
     * @param defaultTtl         the TTL of a record added without one
     * @param limits             how many records and how many bytes of TXT data a zone may hold
     */
    public TenantRecordRules(String providerSpfTerms, String providerSpfAll, int defaultTtl, ZoneLimits limits) {
        this.providerSpfTerms = providerSpfTerms;
        this.providerSpfAll = providerSpfAll;
        this.defaultTtl = defaultTtl;
        this.limits = limits;
    }

    /**
     * The record to store when the tenant adds {@code input} to the zone {@code domain} that holds
     * {@code existing}. Refuses invalid fields with {@link InvalidRecord} (all of them at once) and a
     * record the zone's records do not allow with {@link RecordConflict}.
     */
    public ZoneEntry add(String domain, List<ZoneEntry> existing, NewRecord input) {
        Name origin = RecordSyntax.origin(domain);
        List<InvalidRecord.Violation> violations = new ArrayList<>();
        String name = check(violations, "source", () -> {
            if (input.source() != null && input.source().chars().anyMatch(Character::isISOControl)) {
                throw new InvalidValue("must not contain control characters");
            }
            return RecordSyntax.relativeName(origin, input.source());
        });
        String type = check(violations, "type", () -> type(input.type()));
        int ttl = input.ttl() == null ? defaultTtl : input.ttl();
        boolean ttlValid = ttl >= MIN_TTL && ttl <= MAX_TTL;
        if (!ttlValid) {
            violations.add(new InvalidRecord.Violation("ttl", "must be " + MIN_TTL + " to " + MAX_TTL + " seconds"));
        }
        String value = input.value() == null ? null : input.value().strip();
        if (value == null || value.isEmpty()) {
            violations.add(new InvalidRecord.Violation("value", "must not be blank"));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            // PostgreSQL text cannot hold NUL; presentation format writes such bytes as \DDD anyway
            violations.add(new InvalidRecord.Violation("value",
                    "must not contain control characters; write them as \\DDD escapes"));
        } else if (name != null && type != null && ttlValid) {
            check(violations, "value", () -> RecordSyntax.toRecord(origin, name, type, ttl, value));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRecord(violations);
        }
        ZoneEntry added = new ZoneEntry(name, type, ttl, value, ManagedBy.TENANT);
        checkCname(existing, added);
        checkProviderName(existing, added);
        if (added.isApexSpf()) {
            checkSpf(existing, value);
        }
        if (existing.stream().anyMatch(r -> r.name().equalsIgnoreCase(name) && r.type().equals(type)
                && r.value().equals(value))) {
            throw new RecordConflict(RecordConflict.Rule.RECORD_EXISTS, "The zone has this record already");
        }
        checkLimits(existing, added);
        return added;
    }

    /** The tenant may delete its own records, not the provider's: mail would stop working without them. */
    public void remove(ZoneEntry record) {
        if (record.managedBy() == ManagedBy.PROVIDER) {
            throw new RecordConflict(RecordConflict.Rule.PROVIDER_RECORD,
                    "This record is set by the mail provider; mail would stop working without it");
        }
    }

    /**
     * The stored records as the zone serves them: the tenant's SPF record is not served on its own but
     * merged into the provider's, so the domain has one SPF record.
     */
    public List<ZoneEntry> served(List<ZoneEntry> stored) {
        Optional<ZoneEntry> tenantSpf = stored.stream()
                .filter(r -> r.managedBy() == ManagedBy.TENANT && r.isApexSpf()).findFirst();
        List<ZoneEntry> served = new ArrayList<>();
        for (ZoneEntry record : stored) {
            if (!record.isApexSpf()) {
                served.add(record);
            } else if (record.managedBy() == ManagedBy.PROVIDER) {
                served.add(tenantSpf.map(tenant -> new ZoneEntry(record.name(), record.type(), record.ttl(),
                        Spf.merge(providerSpfTerms, providerSpfAll, tenant.value()), record.managedBy()))
                        .orElse(record));
            }
        }
        return served;
    }

    /** A CNAME is the only record of its name (RFC 1034 section 3.6.2), so never at the apex with its SOA and NS. */
    private static void checkCname(List<ZoneEntry> existing, ZoneEntry added) {
        String name = added.name();
        if (added.type().equals("CNAME")) {
            if (name.equals("@")) {
                throw InvalidRecord.of("source", "the zone apex cannot be a CNAME (RFC 1034: it has SOA and NS records)");
            }
            if (existing.stream().anyMatch(r -> r.name().equalsIgnoreCase(name))) {
                throw new RecordConflict(RecordConflict.Rule.CNAME_CONFLICT,
                        name + " already has records; a CNAME must be the only record of its name");
            }
        } else if (existing.stream().anyMatch(r -> r.name().equalsIgnoreCase(name) && r.type().equals("CNAME"))) {
            throw new RecordConflict(RecordConflict.Rule.CNAME_CONFLICT, name + " is a CNAME; it cannot have other records");
        }
    }

    /**
     * Below the apex a second record beside the provider's of the same name and type would void the
     * provider's: a domain with two DMARC records has none (RFC 7489 section 6.6.3), and a selector with
     * two keys fails verification. The apex is shared: the tenant's SPF is merged, other TXT stay apart.
     */
    private static void checkProviderName(List<ZoneEntry> existing, ZoneEntry added) {
        if (!added.name().equals("@") && existing.stream().anyMatch(r -> r.managedBy() == ManagedBy.PROVIDER
                && r.name().equalsIgnoreCase(added.name()) && r.type().equals(added.type()))) {
            throw new RecordConflict(RecordConflict.Rule.PROVIDER_NAME, added.name() + " " + added.type()
                    + " is set by the mail provider; a second record there would void the provider's");
        }
    }

    /** The zone's size after the change: a full zone refuses any record, TXT data only up to its byte budget. */
    private void checkLimits(List<ZoneEntry> existing, ZoneEntry added) {
        if (existing.size() + 1 > limits.maxRecords()) {
            throw new RecordConflict(RecordConflict.Rule.ZONE_RECORD_LIMIT, "The zone holds " + existing.size()
                    + " records, the most a zone may hold is " + limits.maxRecords() + "; delete records first");
        }
        if (added.type().equals("TXT")) {
            long txtBytes = existing.stream().filter(r -> r.type().equals("TXT")).mapToLong(r -> txtBytes(r.value())).sum()
                    + txtBytes(added.value());
            if (txtBytes > limits.maxTxtBytes()) {
                throw InvalidRecord.of("value", "would bring the zone's TXT data to " + txtBytes
                        + " bytes, above the limit of " + limits.maxTxtBytes() + " bytes per zone");
            }
        }
    }

    private static int txtBytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    /** One SPF record of the tenant, which together with the provider's terms stays within 10 lookups. */
    private void checkSpf(List<ZoneEntry> existing, String value) {
        if (existing.stream().anyMatch(r -> r.managedBy() == ManagedBy.TENANT && r.isApexSpf())) {
            throw new RecordConflict(RecordConflict.Rule.SPF_EXISTS,
                    "A domain has exactly one SPF record; delete your SPF record first to replace it");
        }
        try {
            Spf.check(providerSpfTerms, providerSpfAll, value);
        } catch (InvalidValue e) {
            throw InvalidRecord.of("value", e.getMessage());
        }
    }

    private static String type(String type) {
        String upper = type == null ? "" : type.strip().toUpperCase(Locale.ROOT);
        if (!TENANT_TYPES.contains(upper) || Type.value(upper) < 0) {
            throw new InvalidValue("must be one of " + new TreeSet<>(TENANT_TYPES));
        }
        return upper;
    }

    private static <T> T check(List<InvalidRecord.Violation> violations, String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidValue e) {
            violations.add(new InvalidRecord.Violation(field, e.getMessage()));
            return null;
        }
    }
}
