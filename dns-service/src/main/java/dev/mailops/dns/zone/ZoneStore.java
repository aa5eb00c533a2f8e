package dev.mailops.dns.zone;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.jdbc.Database;

/**
 * The stored zones and their records, in plain JDBC: read for the API, the DNS server's cache and the
 * announcements, written as {@link ZoneProvisioning}, {@link TenantRecords} and {@link DkimRecords} decide.
 * A change of a zone is written whole ({@link #save}) by the transaction that locked it.
 */
@ApplicationScoped
public class ZoneStore {

    private static final String RECORD_ORDER = " ORDER BY managed_by, name, type, id";

    @Inject
    Database database;

    public Optional<DnsZone> zone(String domain) {
        return database.first("SELECT " + DnsZone.COLUMNS + " FROM dns_zone WHERE domain = ?", DnsZone::read, domain);
    }

    /** The zone, locked until the caller's transaction ends. */
    public Optional<DnsZone> locked(String domain) {
        return database.first("SELECT " + DnsZone.COLUMNS + " FROM dns_zone WHERE domain = ? FOR UPDATE", DnsZone::read,
                domain);
    }

    /** The tenant's zone, or 404 for a zone that is unknown or another tenant's. */
    public DnsZone own(String domain, String tenantId) {
        return zone(normalised(domain)).filter(zone -> zone.tenantId.equals(tenantId))
                .orElseThrow(() -> new NotFoundException("No domain " + domain));
    }

    /** {@link #own}, locked until the caller's transaction ends. */
    public DnsZone lockedOwn(String domain, String tenantId) {
        return locked(normalised(domain)).filter(zone -> zone.tenantId.equals(tenantId))
                .orElseThrow(() -> new NotFoundException("No domain " + domain));
    }

    private static String normalised(String domain) {
        return domain == null ? "" : domain.toLowerCase(Locale.ROOT);
    }

    /** The zone's complete stored record set, the provider's first. */
    public List<DnsRecord> records(String domain) {
        return database.list("SELECT " + DnsRecord.COLUMNS + " FROM dns_record WHERE domain = ?" + RECORD_ORDER,
                DnsRecord::read, domain);
    }

    /**
     * The record sets of the zones, each in the order of {@link #records(String)}, handed to {@code each}
     * zone by zone: one query per {@code zonesPerQuery} zones rather than one per zone, so that loading
     * every zone at start-up holds one batch in memory.
     */
    public void forEachRecordSet(List<String> domains, int zonesPerQuery, BiConsumer<String, List<DnsRecord>> each) {
        for (int from = 0; from < domains.size(); from += zonesPerQuery) {
            List<String> batch = domains.subList(from, Math.min(domains.size(), from + zonesPerQuery));
            Map<String, List<DnsRecord>> byDomain = new HashMap<>();
            database.list("SELECT " + DnsRecord.COLUMNS + " FROM dns_record WHERE domain = ANY (?)"
                    + " ORDER BY domain, managed_by, name, type, id", DnsRecord::read, (Object) batch.toArray(String[]::new))
                    .forEach(record -> byDomain.computeIfAbsent(record.domain, domain -> new ArrayList<>()).add(record));
            batch.forEach(domain -> each.accept(domain, byDomain.getOrDefault(domain, List.of())));
        }
    }

    /** One page of {@link #records(String)}, in the same order. */
    public List<DnsRecord> records(String domain, int offset, int limit) {
        return database.list("SELECT " + DnsRecord.COLUMNS + " FROM dns_record WHERE domain = ?" + RECORD_ORDER
                + " LIMIT ? OFFSET ?", DnsRecord::read, domain, limit, offset);
    }

    public long recordCount(String domain) {
        return database.count("SELECT count(*) FROM dns_record WHERE domain = ?", domain);
    }

    public List<DnsZone> zones() {
        return database.list("SELECT " + DnsZone.COLUMNS + " FROM dns_zone ORDER BY domain", DnsZone::read);
    }

    /** The zone, if the DNS server may serve it: only once its domain is verified. */
    public Optional<DnsZone> servedZone(String domain) {
        return zone(domain).filter(zone -> zone.verified);
    }

    /**
     * The serial of each zone the DNS server serves (those of verified domains), by domain: two columns,
     * as the cache compares them every few seconds for thousands of zones.
     */
    public Map<String, Long> servedSerials() {
        Map<String, Long> serials = new HashMap<>();
        database.list("SELECT domain, serial FROM dns_zone WHERE verified", row -> Map.entry(row.getString(1),
                row.getLong(2))).forEach(entry -> serials.put(entry.getKey(), entry.getValue()));
        return serials;
    }

    /** The zones whose serial moved past the last announced one, locked; those another transaction holds are skipped. */
    public List<DnsZone> unannouncedLocked() {
        return database.list("SELECT " + DnsZone.COLUMNS
                + " FROM dns_zone WHERE serial > published_serial ORDER BY domain FOR UPDATE SKIP LOCKED", DnsZone::read);
    }

    void insert(DnsZone zone) {
        database.update("INSERT INTO dns_zone (" + DnsZone.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", zone.domain,
                zone.tenantId, zone.serial, zone.publishedSerial, zone.createdAt, zone.updatedAt, zone.verified);
    }

    /** Writes what a change of the zone may alter: its serial, what was announced, its time and its verification. */
    public void save(DnsZone zone) {
        database.update("UPDATE dns_zone SET serial = ?, published_serial = ?, updated_at = ?, verified = ? WHERE domain = ?",
                zone.serial, zone.publishedSerial, zone.updatedAt, zone.verified, zone.domain);
    }

    /** Removes the zone with every record in it. */
    void delete(DnsZone zone) {
        database.update("DELETE FROM dns_record WHERE domain = ?", zone.domain);
        database.update("DELETE FROM dns_zone WHERE domain = ?", zone.domain);
    }

    /** Stores the records as one batch; their ids come from the column's default. */
    void insert(List<DnsRecord> records) {
        database.batch("INSERT INTO dns_record (domain, tenant_id, name, type, ttl, value, managed_by, created_at, "
                + "dkim_key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", records.stream().map(ZoneStore::values).toList());
    }

    /** Stores the record and gives it its id. */
    void insertOne(DnsRecord record) {
        record.id = database.first("INSERT INTO dns_record (domain, tenant_id, name, type, ttl, value, managed_by, "
                + "created_at, dkim_key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", row -> row.getLong(1),
                values(record)).orElseThrow();
    }

    private static Object[] values(DnsRecord record) {
        return new Object[] { record.domain, record.tenantId, record.name, record.type, record.ttl, record.value,
                record.managedBy.name(), record.createdAt, record.dkimKeyId };
    }

    void delete(DnsRecord record) {
        database.update("DELETE FROM dns_record WHERE id = ?", record.id);
    }

    Optional<DnsRecord> record(long id) {
        return database.first("SELECT " + DnsRecord.COLUMNS + " FROM dns_record WHERE id = ?", DnsRecord::read, id);
    }
}
