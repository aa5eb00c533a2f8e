package dev.mailops.dns.messaging;

import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;

import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.CloudEventReader;
import dev.mailops.consumer.EventConsumption;
import dev.mailops.consumer.ProcessedEvents;
import dev.mailops.consumer.TopicReplay;
import dev.mailops.dns.server.ZoneCache;
import dev.mailops.dns.zone.ZoneStore;

/**
 * Consumes mailbox.events in dns-service's own group: a DomainAdded provisions the domain's zone with
 * the provider's mail records, exactly once (see {@link EventConsumption}); the zone is then served
 * and announced on dns.events.
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
    TopicReplay replay;
    @Inject
    ZoneStore zones;
    @Inject
    ZoneCache cache;
    @Inject
    RecordsChangedPublisher publisher;

    @Incoming("mailbox-events")
    @Blocking
    public CompletionStage<Void> consume(Message<String> message) {
        return consumption.process(message, HANDLED_TYPES, this::process);
    }

    void process(CloudEvent event) {
        boolean provisioned = QuarkusTransaction.requiringNew().call(() -> {
            replay.holdSharedForTransaction();
            return apply(event, false);
        });
        if (provisioned) {
            String domain = reader.data(event, DomainAdded.class).domain();
            cache.reload(domain);
            publisher.publishPending();
        }
    }

    /** Applies the event once; true when it provisioned a zone. Runs inside the caller's transaction. */
    public boolean apply(CloudEvent event, boolean replaying) {
        if (!processedEvents.firstDelivery(event) || !HANDLED_TYPES.contains(event.type())) {
            return false;
        }
        String domain = reader.data(event, DomainAdded.class).domain();
        if (replaying) {
            zones.reprovision(domain, event.tenantId(), event.time());
            return true;
        }
        return zones.provision(domain, event.tenantId(), event.time());
    }
}
