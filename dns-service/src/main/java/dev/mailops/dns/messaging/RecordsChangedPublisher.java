package dev.mailops.dns.messaging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.mailops.dns.zone.DnsZone;
import dev.mailops.dns.zone.ZoneStore;
import dev.mailops.outbox.OutgoingEvent;

/**
 * Announces zones whose serial moved past the last announced one as DnsRecordsChanged, with the
 * zone's complete record set: it writes the announcement to the outbox and marks the serial
 * announced in one transaction, and the outbox relay publishes it to dns.events. The consumer
 * announces the zones it provisions in its own transaction; changes made through the API are
 * announced right after their commit and, should that fail, by the schedule. The CloudEvent id is
 * derived from domain and serial, so a repeat has the same id.
 */
@ApplicationScoped
public class RecordsChangedPublisher {

    static final String TYPE = "DnsRecordsChanged";
    static final URI SCHEMA = OutgoingEvent.schema("dns-events", TYPE, 1);

    record RecordData(String name, String type, int ttl, String value, String managedBy) {
    }

    record DnsRecordsChanged(String domain, String tenantId, long serial, Instant changedAt, List<RecordData> records) {
    }

    @Inject
    ZoneStore zones;
    @Inject
    ObjectMapper json;
    @Inject
    DnsOutbox outbox;

    /** Announces every zone with an unannounced serial, each once, whichever instance gets to it first. */
    @Scheduled(identity = "dns-events-publisher", every = "${dns.events.publish-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void publishPending() {
        QuarkusTransaction.requiringNew().run(() -> zones.unannouncedLocked().forEach(this::announce));
    }

    /** Announces the zone's current serial, in the caller's transaction, unless it was announced already. */
    public void announce(String domain) {
        zones.zone(domain).filter(zone -> zone.serial > zone.publishedSerial).ifPresent(this::announce);
    }

    private void announce(DnsZone zone) {
        List<RecordData> records = zones.records(zone.domain).stream()
                .map(r -> new RecordData(r.name, r.type, r.ttl, r.value, r.managedBy.name())).toList();
        DnsRecordsChanged data = new DnsRecordsChanged(zone.domain, zone.tenantId, zone.serial, zone.updatedAt, records);
        UUID id = UUID.nameUUIDFromBytes((TYPE + ":" + zone.domain + ":" + zone.serial).getBytes(StandardCharsets.UTF_8));
        outbox.append(new OutgoingEvent(id, TYPE, SCHEMA, zone.domain, zone.tenantId, zone.updatedAt, Map.of(),
                toJson(data), null));
        zone.publishedSerial = zone.serial;
        zones.save(zone);
    }

    private String toJson(DnsRecordsChanged data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
