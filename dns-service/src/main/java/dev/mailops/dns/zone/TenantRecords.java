package dev.mailops.dns.zone;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.mailops.dns.zone.rules.NewRecord;
import dev.mailops.dns.zone.rules.TenantRecordRules;
import dev.mailops.dns.zone.rules.ZoneEntry;
import dev.mailops.kit.errors.NotFoundException;

/**
 * The tenant's own records (the domain assistant): locks the tenant's zone, lets
 * {@link TenantRecordRules} decide, stores the outcome and raises the serial.
 */
@ApplicationScoped
public class TenantRecords {

    @Inject
    ZoneStore store;
    @Inject
    TenantRecordRules rules;
    @Inject
    Clock clock;

    /** Adds a tenant record the rules accept; returns it as stored. */
    @Transactional
    public DnsRecord add(String domain, String tenantId, NewRecord input) {
        DnsZone zone = store.lockedOwn(domain, tenantId);
        ZoneEntry accepted = rules.add(zone.domain, store.records(zone.domain).stream().map(DnsRecord::entry).toList(),
                input);
        Instant now = now();
        DnsRecord record = DnsRecord.of(zone, accepted, now);
        store.insertOne(record);
        zone.changed(now);
        store.save(zone);
        return record;
    }

    /** Removes one of the tenant's own records; the rules keep the provider's. */
    @Transactional
    public void remove(String domain, String tenantId, long recordId) {
        DnsZone zone = store.lockedOwn(domain, tenantId);
        DnsRecord record = store.record(recordId).filter(found -> found.domain.equals(zone.domain))
                .orElseThrow(() -> new NotFoundException("No record " + recordId + " in " + domain));
        rules.remove(record.entry());
        store.delete(record);
        zone.changed(now());
        store.save(zone);
    }

    /** PostgreSQL keeps microseconds; the stored time is the one announced. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
