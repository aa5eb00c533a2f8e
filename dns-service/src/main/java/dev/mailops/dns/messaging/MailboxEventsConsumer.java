package dev.mailops.dns.messaging;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.CloudEventReader;
import dev.mailops.consumer.EventConsumption;
import dev.mailops.consumer.ProcessedEvents;
import dev.mailops.consumer.Projection;
import dev.mailops.dns.server.ZoneCache;
import dev.mailops.dns.zone.ZoneProvisioning;

/**
 * Consumes mailbox.events in dns-service's own group: a DomainAdded provisions the domain's zone with
 * the provider's mail records, exactly once (see {@link EventConsumption}, a poll per transaction);
 * the zone is announced through the outbox in the same transaction, and served after the commit.
 */
@ApplicationScoped
public class MailboxEventsConsumer {

    /** dns-service's own view of the one event it acts on; tested against the published schema. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DomainAdded(String domain) {
    }

    public static final Set<String> HANDLED_TYPES = Set.of("DomainAdded");

    @Inject
    EventConsumption consumption;
    @Inject
    CloudEventReader reader;
    @Inject
    ProcessedEvents processedEvents;
    @Inject
    ZoneProvisioning provisioning;
    @Inject
    ZoneCache cache;
    @Inject
    RecordsChangedPublisher publisher;

    @Incoming("mailbox-events")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumption.process(batch, HANDLED_TYPES, this::provision);
    }

    /** Provisions the zone once and announces it in the same transaction; after the commit serves it. */
    Projection.AfterCommit provision(CloudEvent event) {
        if (!apply(event, false)) {
            return Projection.AfterCommit.NOTHING;
        }
        String domain = reader.data(event, DomainAdded.class).domain();
        publisher.announce(domain);
        return () -> {
            cache.reload(domain);
            return CompletableFuture.completedFuture(null);
        };
    }

    /** Applies the event once; true when it provisioned a zone. Runs inside the caller's transaction. */
    public boolean apply(CloudEvent event, boolean replaying) {
        if (!processedEvents.firstDelivery(event) || !HANDLED_TYPES.contains(event.type())) {
            return false;
        }
        String domain = reader.data(event, DomainAdded.class).domain();
        if (replaying) {
            provisioning.reprovision(domain, event.tenantId(), event.time());
            return true;
        }
        return provisioning.provision(domain, event.tenantId(), event.time());
    }
}
