package dev.mailops.mailbox.users;

import java.util.Set;
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
import dev.mailops.consumer.PoisonRecordException;
import dev.mailops.consumer.ProcessedEvents;
import dev.mailops.consumer.Projection;

/**
 * Consumes the gateway's {@code gateway.users} in mailbox-service's own group into {@link KnownUsers}:
 * each event once (consumer-kit: a poll per transaction, idempotent by event id, dead letters for what
 * can never be applied). The record key is the user's tenant, and the user is known in that tenant only.
 */
@ApplicationScoped
public class GatewayUsersConsumer {

    /** mailbox-service's own view of the user events; tested against the published schemas. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UserEvent(String tenantId, String userId) {
    }

    static final Set<String> TYPES = Set.of("UserCreated", "UserDisabled", "UserEnabled");

    @Inject
    EventConsumption consumption;
    @Inject
    CloudEventReader reader;
    @Inject
    ProcessedEvents processedEvents;
    @Inject
    KnownUsers knownUsers;

    @Incoming("gateway-users")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumption.process(batch, TYPES, this::project);
    }

    Projection.AfterCommit project(CloudEvent event) {
        apply(event);
        return Projection.AfterCommit.NOTHING;
    }

    /** Applies the event once, inside the caller's transaction. */
    public void apply(CloudEvent event) {
        if (!processedEvents.firstDelivery(event) || !TYPES.contains(event.type())) {
            return;
        }
        UserEvent user = reader.data(event, UserEvent.class);
        if (!event.tenantId().equals(user.tenantId())) {
            // the record key and ce_tenantid name the tenant; data naming another is never applicable
            throw new PoisonRecordException(event.type() + " of " + user.userId() + " names tenant " + user.tenantId()
                    + " under the key of tenant " + event.tenantId());
        }
        switch (event.type()) {
            case "UserCreated" -> knownUsers.created(event.tenantId(), user.userId(), event.time());
            case "UserDisabled" -> knownUsers.setEnabled(event.tenantId(), user.userId(), false, event.time());
            case "UserEnabled" -> knownUsers.setEnabled(event.tenantId(), user.userId(), true, event.time());
            default -> throw new IllegalStateException(event.type());
        }
    }
}
