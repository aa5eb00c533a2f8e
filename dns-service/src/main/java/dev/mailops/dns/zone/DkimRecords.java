package dev.mailops.dns.zone;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.mailops.dns.zone.rules.DkimKey;
import dev.mailops.dns.zone.rules.DkimRecordRules;
import dev.mailops.dns.zone.rules.InvalidValue;
import dev.mailops.dns.zone.rules.ZoneEntry;

/**
 * The domain's own DKIM keys in its zone (self-hosted profile): locks the zone, lets {@link DkimRecordRules}
 * decide which record a selector serves, stores that and raises the serial.
 */
@ApplicationScoped
public class DkimRecords {

    private static final Logger LOG = Logger.getLogger(DkimRecords.class);

    @Inject
    ZoneStore store;
    @Inject
    DkimRecordRules rules;
    @Inject
    Clock clock;

    /**
     * Publishes the key as the selector's record; false when nothing changed (the selector publishes it
     * already, or the zone is unknown or another tenant's). A value the rules refuse leaves the caller's
     * transaction intact, so a poison event does not spoil the others of its poll.
     */
    @Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = InvalidValue.class)
    public boolean publish(String domain, String tenantId, DkimKey key, Instant at) {
        DnsZone zone = lockOwn(domain, tenantId);
        if (zone == null) {
            return false;
        }
        return apply(zone, rules.publish(domain, entries(zone), key), at);
    }

    /** Removes the selector's record if it still publishes the key; false when nothing changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean retire(String domain, String tenantId, String selector, UUID keyId, Instant at) {
        DnsZone zone = lockOwn(domain, tenantId);
        if (zone == null) {
            return false;
        }
        return apply(zone, rules.retire(entries(zone), selector, keyId), at);
    }

    private boolean apply(DnsZone zone, DkimRecordRules.Change change, Instant at) {
        if (change.isNone()) {
            return false;
        }
        for (DnsRecord record : store.records(zone.domain)) {
            if (change.removed().contains(record.entry())) {
                store.delete(record);
            }
        }
        change.added().ifPresent(entry -> store.insertOne(DnsRecord.of(zone, entry, at)));
        // The event's time, unless the zone changed later already (e.g. the tenant's edit): then it is now.
        zone.changed(at.isAfter(zone.updatedAt) ? at : clock.instant().truncatedTo(ChronoUnit.MICROS));
        store.save(zone);
        return true;
    }

    private List<ZoneEntry> entries(DnsZone zone) {
        return store.records(zone.domain).stream().map(DnsRecord::entry).toList();
    }

    /** The tenant's zone, locked; null (and a warning) for a zone that is unknown or another tenant's. */
    private DnsZone lockOwn(String domain, String tenantId) {
        DnsZone zone = store.locked(domain).orElse(null);
        if (zone == null || !zone.tenantId.equals(tenantId)) {
            LOG.warnf("DKIM key for %s of tenant %s ignored: no such zone of that tenant", domain, tenantId);
            return null;
        }
        return zone;
    }
}
