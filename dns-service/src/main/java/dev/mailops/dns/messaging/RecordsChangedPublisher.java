package dev.mailops.dns.messaging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.hibernate.LockOptions;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.mailops.dns.zone.DnsZone;
import dev.mailops.dns.zone.ZoneStore;

/**
 * Announces zones whose serial moved past the last announced one as DnsRecordsChanged on dns.events,
 * with the zone's complete record set. The pending state is the zone row itself (serial above
 * published_serial), written with the change: a crash before the announcement only delays it to the
 * next run. The CloudEvent id is derived from domain and serial, so a repeat has the same id.
 */
@ApplicationScoped
public class RecordsChangedPublisher {

    private static final Logger LOG = Logger.getLogger(RecordsChangedPublisher.class);
    static final String TYPE = "DnsRecordsChanged";
    static final URI SCHEMA = URI.create("urn:mailops:schema:dns-events:DnsRecordsChanged:v1");

    record RecordData(String name, String type, int ttl, String value, String managedBy) {
    }

    record DnsRecordsChanged(String domain, String tenantId, long serial, Instant changedAt, List<RecordData> records) {
    }

    @Inject
    @Channel("dns-events")
    MutinyEmitter<String> emitter;
    @Inject
    EntityManager entityManager;
    @Inject
    ZoneStore zones;
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "dns.events.source", defaultValue = "/mailops/dns-service")
    URI source;

    @Scheduled(identity = "dns-events-publisher", every = "${dns.events.publish-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void publishPending() {
        List<String> pending = QuarkusTransaction.requiringNew().call(() -> entityManager.createQuery(
                "select z.domain from DnsZone z where z.serial > z.publishedSerial", String.class).getResultList());
        for (String domain : pending) {
            try {
                QuarkusTransaction.requiringNew().run(() -> publish(domain));
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not announce %s; will retry", domain);
                return;
            }
        }
    }

    private void publish(String domain) {
        DnsZone zone = entityManager.createQuery("from DnsZone z where z.domain = :domain and z.serial > z.publishedSerial",
                DnsZone.class)
                .setParameter("domain", domain)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED)
                .getResultStream().findFirst().orElse(null);
        if (zone == null) {
            return; // announced meanwhile, or another instance is announcing it
        }
        List<RecordData> records = zones.records(domain).stream()
                .map(r -> new RecordData(r.name, r.type, r.ttl, r.value, r.managedBy.name())).toList();
        DnsRecordsChanged data = new DnsRecordsChanged(zone.domain, zone.tenantId, zone.serial, zone.updatedAt, records);
        OutgoingCloudEventMetadata<String> cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(UUID.nameUUIDFromBytes((TYPE + ":" + zone.domain + ":" + zone.serial)
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .withSource(source)
                .withType(TYPE)
                .withSubject(zone.domain)
                .withTimestamp(zone.updatedAt.atZone(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withDataSchema(SCHEMA)
                .withExtension("tenantid", zone.tenantId)
                .build();
        emitter.sendMessage(Message.of(toJson(data), Metadata.of(cloudEvent,
                OutgoingKafkaRecordMetadata.<String>builder().withKey(zone.tenantId).build())))
                .await().atMost(Duration.ofSeconds(30));
        zone.publishedSerial = zone.serial;
    }

    private String toJson(DnsRecordsChanged data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
