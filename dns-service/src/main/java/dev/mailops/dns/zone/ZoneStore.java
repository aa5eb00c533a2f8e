package dev.mailops.dns.zone;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import dev.mailops.kit.errors.NotFoundException;

/**
 * Reads the stored zones and their records, for the API, the DNS server's cache and the
 * announcements. Writes go through {@link ZoneProvisioning} and {@link TenantRecords}.
 */
@ApplicationScoped
public class ZoneStore {

    @Inject
    EntityManager entityManager;

    public Optional<DnsZone> zone(String domain) {
        return Optional.ofNullable(entityManager.find(DnsZone.class, domain));
    }

    /** The tenant's zone, or 404 for a zone that is unknown or another tenant's. */
    public DnsZone own(String domain, String tenantId) {
        String normalised = domain == null ? "" : domain.toLowerCase(Locale.ROOT);
        return zone(normalised).filter(zone -> zone.tenantId.equals(tenantId))
                .orElseThrow(() -> new NotFoundException("No domain " + domain));
    }

    /** The zone's complete stored record set, the provider's first. */
    public List<DnsRecord> records(String domain) {
        return entityManager.createQuery("from DnsRecord r where r.domain = :domain order by r.managedBy, r.name, r.type, r.id",
                DnsRecord.class).setParameter("domain", domain).getResultList();
    }

    /**
     * The record sets of the zones, each in the order of {@link #records(String)}, handed to {@code each}
     * zone by zone: one query per {@code zonesPerQuery} zones rather than one per zone, and the records
     * detached after each query, so that loading every zone at start-up holds one batch in memory.
     */
    public void forEachRecordSet(List<String> domains, int zonesPerQuery, BiConsumer<String, List<DnsRecord>> each) {
        for (int from = 0; from < domains.size(); from += zonesPerQuery) {
            List<String> batch = domains.subList(from, Math.min(domains.size(), from + zonesPerQuery));
            Map<String, List<DnsRecord>> byDomain = new HashMap<>();
            // Closed here, not at the commit: an open result keeps every row the driver fetched for it.
            try (Stream<DnsRecord> rows = entityManager.createQuery("from DnsRecord r where r.domain in :domains "
                    + "order by r.domain, r.managedBy, r.name, r.type, r.id", DnsRecord.class)
                    .setParameter("domains", batch).getResultStream()) {
                rows.forEach(record -> byDomain.computeIfAbsent(record.domain, domain -> new ArrayList<>()).add(record));
            }
            batch.forEach(domain -> each.accept(domain, byDomain.getOrDefault(domain, List.of())));
            entityManager.clear();
        }
    }

    /** One page of {@link #records(String)}, in the same order. */
    public List<DnsRecord> records(String domain, int offset, int limit) {
        return entityManager.createQuery("from DnsRecord r where r.domain = :domain order by r.managedBy, r.name, r.type, r.id",
                DnsRecord.class).setParameter("domain", domain).setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    public long recordCount(String domain) {
        return entityManager.createQuery("select count(r) from DnsRecord r where r.domain = :domain", Long.class)
                .setParameter("domain", domain).getSingleResult();
    }

    public List<DnsZone> zones() {
        return entityManager.createQuery("from DnsZone z order by z.domain", DnsZone.class).getResultList();
    }

    /** The zone, if the DNS server may serve it: only once its domain is verified. */
    public Optional<DnsZone> servedZone(String domain) {
        return zone(domain).filter(zone -> zone.verified);
    }

    /**
     * The serial of each zone the DNS server serves (those of verified domains), by domain: two columns,
     * not the entities, as the cache compares them every few seconds for thousands of zones.
     */
    public Map<String, Long> servedSerials() {
        Map<String, Long> serials = new HashMap<>();
        entityManager.createQuery("select z.domain, z.serial from DnsZone z where z.verified", Object[].class)
                .getResultStream().forEach(row -> serials.put((String) row[0], (Long) row[1]));
        return serials;
    }
}
