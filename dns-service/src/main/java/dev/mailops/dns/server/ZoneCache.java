package dev.mailops.dns.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.mailops.dns.zone.DnsRecord;
import dev.mailops.dns.zone.ZoneRecords;
import dev.mailops.dns.zone.ZoneStore;
import dev.mailops.dns.zone.rules.RecordSyntax;

/**
 * The served zones in memory, so DNS answers never wait for the database. A zone is reloaded right
 * after this instance changed it, and every instance compares serials on a short schedule to pick up
 * changes another instance made. Each zone built from its records is also stored as it is served
 * ({@link StoredServedZones}, on the next refresh), so that a start reads the zones instead of building
 * them (the bench's 5,488 zones: started in 1.7–2.0 s instead of 4.2 s, dns-service's README).
 */
@ApplicationScoped
public class ZoneCache {

    /**
     * A zone as served, kept as DNS wire data with its names compressed: about 1 KB a zone, against
     * 5 KB as dnsjava's records (9,870 zones of the bench's kind did not fit a 96 MB heap that way).
     * Each query decodes the zone it asks about.
     */
    public record ServedZone(Name origin, long serial, byte[] wire) {

        static ServedZone of(Name origin, long serial, List<Record> records) {
            Message zone = new Message();
            records.forEach(record -> zone.addRecord(record, Section.ANSWER));
            return new ServedZone(origin, serial, zone.toWire());
        }

        /** The zone's records by owner name, each name's in the order the zone lists them. */
        public Map<Name, List<Record>> byName() {
            Map<Name, List<Record>> byName = new HashMap<>();
            for (Record record : decode().getSection(Section.ANSWER)) {
                byName.computeIfAbsent(record.getName(), name -> new ArrayList<>(2)).add(record);
            }
            return byName;
        }

        private Message decode() {
            try {
                return new Message(wire);
            } catch (IOException e) {
                throw new IllegalStateException("The cached zone " + origin + " does not decode", e);
            }
        }
    }

    private static final int ZONES_PER_QUERY = 500;

    private final Map<Name, ServedZone> zones = new ConcurrentHashMap<>();
    /** The serial of each cached zone by its domain as stored, so the refresh compares without parsing names. */
    private final Map<String, Long> serials = new ConcurrentHashMap<>();
    /** Zones built since the last refresh, by domain, which it stores. */
    private final Map<String, ServedZone> unstored = new ConcurrentHashMap<>();
    private String format;

    @Inject
    ZoneStore store;
    @Inject
    ZoneRecords zoneRecords;
    @Inject
    StoredServedZones storedZones;

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
                .ifPresent(zone -> load(zone.domain, zone.serial, store.records(zone.domain))));
    }

    /**
     * Reloads the zones whose serial changed: as stored, where a zone is stored at its serial in this
     * format, else built from its records. One refresh at a time: at start-up the server's own first
     * refresh and the schedule's would otherwise both load every zone at once (twice the memory).
     */
    @Scheduled(identity = "zone-cache-refresh", every = "${dns.server.refresh-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void refresh() {
        if (format == null) {
            format = zoneRecords.format();
        }
        Map<String, ServedZone> stored = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            Map<String, Long> changed = new HashMap<>();
            store.servedSerials().forEach((domain, serial) -> {
                Long cached = serials.get(domain);
                if (cached == null || cached.longValue() != serial) {
                    changed.put(domain, serial);
                }
            });
            // At start-up every zone is new: thousands of them, in batches rather than a query each.
            List<String> domains = List.copyOf(changed.keySet());
            List<String> unbuilt = new ArrayList<>();
            for (int from = 0; from < domains.size(); from += ZONES_PER_QUERY) {
                Map<String, Long> batch = new HashMap<>();
                domains.subList(from, Math.min(domains.size(), from + ZONES_PER_QUERY))
                        .forEach(domain -> batch.put(domain, changed.get(domain)));
                storedZones.read(batch, format, (domain, wire) -> {
                    Name origin = RecordSyntax.origin(domain);
                    cache(domain, new ServedZone(origin, batch.remove(domain), wire));
                });
                unbuilt.addAll(batch.keySet());
            }
            store.forEachRecordSet(unbuilt, ZONES_PER_QUERY, (domain, records) -> load(domain, changed.get(domain), records));
            stored.putAll(unstored);
            storedZones.write(stored, format);
        });
        stored.forEach(unstored::remove);
    }

    private void load(String domain, long serial, List<DnsRecord> stored) {
        Name origin = RecordSyntax.origin(domain);
        ServedZone zone = ServedZone.of(origin, serial, zoneRecords.served(domain, serial, stored));
        cache(domain, zone);
        unstored.put(domain, zone);
    }

    private void cache(String domain, ServedZone zone) {
        zones.put(zone.origin(), zone);
        serials.put(domain, zone.serial());
    }
}
