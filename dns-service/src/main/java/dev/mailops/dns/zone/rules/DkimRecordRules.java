package dev.mailops.dns.zone.rules;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which DKIM record a selector serves when the domain's own keys are published: a generated key's TXT
 * record at {@code <selector>._domainkey}, with the profile's TTL and managed by the provider, replaces
 * whatever DKIM record the selector had (its previous key, or a profile's fixed key); a retired key's
 * record goes, but only while the selector still publishes that key, since a fresh key for the selector
 * may have replaced it already.
 */
public final class DkimRecordRules {

    private final int ttl;

    /** @param ttl the TTL of every published key's record (the profile's) */
    public DkimRecordRules(int ttl) {
        this.ttl = ttl;
    }

    /** What a DKIM event changes in a zone: the records that go and the one that comes, if any. */
    public record Change(List<ZoneEntry> removed, Optional<ZoneEntry> added) {
        public static final Change NONE = new Change(List.of(), Optional.empty());

        public boolean isNone() {
            return removed.isEmpty() && added.isEmpty();
        }
    }

    /** The owner name of a selector's key, relative to the zone. */
    public static String name(String selector) {
        return selector + "._domainkey";
    }

    /**
     * Publishing {@code key} in the zone {@code domain} that holds {@code existing}: its record replaces the
     * provider's TXT records at the selector's name; nothing changes when the selector publishes exactly it
     * already. Refuses a value that is no valid TXT data with {@link InvalidValue}.
     */
    public Change publish(String domain, List<ZoneEntry> existing, DkimKey key) {
        String name = name(key.selector());
        if (key.record().isBlank() || key.record().chars().anyMatch(Character::isISOControl)) {
            throw new InvalidValue("the DKIM record of " + name + " must be text without control characters");
        }
        RecordSyntax.toRecord(RecordSyntax.origin(domain), name, "TXT", ttl, key.record());
        ZoneEntry published = new ZoneEntry(name, "TXT", ttl, key.record(), ManagedBy.PROVIDER, key.keyId());
        List<ZoneEntry> replaced = existing.stream().filter(r -> isDkimRecordOf(r, key.selector())).toList();
        if (replaced.equals(List.of(published))) {
            return Change.NONE;
        }
        return new Change(replaced, Optional.of(published));
    }

    /** Retiring the key {@code keyId} of {@code selector}: its record goes if the selector still publishes it. */
    public Change retire(List<ZoneEntry> existing, String selector, UUID keyId) {
        List<ZoneEntry> retired = existing.stream()
                .filter(r -> isDkimRecordOf(r, selector) && keyId.equals(r.dkimKey())).toList();
        return retired.isEmpty() ? Change.NONE : new Change(retired, Optional.empty());
    }

    /** The tenant's own records at that name stay: only the provider publishes keys. */
    private static boolean isDkimRecordOf(ZoneEntry record, String selector) {
        return record.managedBy() == ManagedBy.PROVIDER && record.type().equals("TXT")
                && record.name().equalsIgnoreCase(name(selector));
    }
}
