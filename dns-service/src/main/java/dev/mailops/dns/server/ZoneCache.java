package dev.mailops.dns.server;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.mailops.dns.zone.DnsRecord;
import dev.mailops.dns.zone.DnsZone;
import dev.mailops.dns.zone.ZoneRecords;
import dev.mailops.dns.zone.ZoneStore;
import dev.mailops.dns.zone.rules.RecordSyntax;

/**
 * The served zones in memory, so DNS answers never wait for the database. A zone is reloaded right
 * after this instance changed it, and every instance compares serials on a short schedule to pick up
 * changes another instance made.
 */
@ApplicationScoped
public class ZoneCache {

    /** A zone as served: its records by owner name. */
    public record ServedZone(Name origin, long serial, Map<Name, List<Record>> byName, List<Record> all) {
    }

    private static final int ZONES_PER_QUERY = 500;

    private final Map<Name, ServedZone> zones = new ConcurrentHashMap<>();

    @Inject
    ZoneStore store;
    @Inject
    ZoneRecords zoneRecords;

    /** The zone the name belongs to (longest match), or null when this server is not authoritative. */
    public ServedZone zoneFor(Name name) {
        for (Name candidate = name; candidate.labels() > 1; candidate = new Name(candidate, 1)) {
            ServedZone zone = zones.get(candidate);
            if (zone != null) {
                return zone;
            }
        }
        return null;
    }

    public void reload(String domain) {
        QuarkusTransaction.requiringNew().run(() -> store.servedZone(domain)
                .ifPresent(zone -> load(zone, store.records(zone.domain))));
    }

    /**
     * Reloads the zones whose serial changed. One at a time: at start-up the server's own first refresh
     * and the schedule's would otherwise both load every zone at once (twice the memory; the bench's
     * dns-service with 5,106 zones ran out of its 96 MB heap that way).
     */
    @Scheduled(identity = "zone-cache-refresh", every = "${dns.server.refresh-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void refresh() {
        QuarkusTransaction.requiringNew().run(() -> {
            Map<String, DnsZone> changed = new LinkedHashMap<>();
            for (DnsZone zone : store.servedZones()) {
                ServedZone served = zones.get(RecordSyntax.origin(zone.domain));
                if (served == null || served.serial() != zone.serial) {
                    changed.put(zone.domain, zone);
                }
            }
            // At start-up every zone is new: thousands of them, in batches rather than a query each.
            store.forEachRecordSet(List.copyOf(changed.keySet()), ZONES_PER_QUERY,
                    (domain, records) -> load(changed.get(domain), records));
        });
    }

    private void load(DnsZone zone, List<DnsRecord> stored) {
        List<Record> records = zoneRecords.served(zone, stored);
        Map<Name, List<Record>> byName = new HashMap<>();
        for (Record record : records) {
            byName.computeIfAbsent(record.getName(), name -> new java.util.ArrayList<>()).add(record);
        }
        Name origin = RecordSyntax.origin(zone.domain);
        zones.put(origin, new ServedZone(origin, zone.serial, Map.copyOf(byName), List.copyOf(records)));
    }
}
