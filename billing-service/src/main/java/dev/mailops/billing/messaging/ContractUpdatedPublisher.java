package dev.mailops.billing.messaging;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.contract.ContractRevision;

/**
 * Publishes ContractUpdated to billing.events for every contract revision, after the revision
 * committed. The CloudEvent id is derived from tenant and revision, so the re-publication that
 * follows a redelivered mailbox event carries the same id and subscribers de-duplicate it.
 */
@ApplicationScoped
public class ContractUpdatedPublisher {

    static final String TYPE = "ContractUpdated";
    static final URI SCHEMA = URI.create("urn:mailops:schema:billing-events:ContractUpdated:v1");

    /** The record value: see contract/billing-events/ContractUpdated.v1.schema.json. */
    record ContractUpdated(String tenantId, int revision, Cause cause, String change, String basicFeePlan,
            int activeMailboxes, String monthlyNetTotal, String currency, Instant occurredAt) {
    }

    record Cause(UUID eventId, String type, String subject) {
    }

    @Inject
    @Channel("billing-events")
    MutinyEmitter<String> emitter;

    @Inject
    ObjectMapper json;

    @Inject
    Catalog catalog;

    @ConfigProperty(name = "billing.events.source", defaultValue = "/mailops/billing-service")
    URI source;

    /** Starts sending; the stage completes when the broker acknowledged the record. */
    public CompletionStage<Void> send(ContractRevision revision) {
        ContractUpdated data = new ContractUpdated(revision.tenantId, revision.revision,
                new Cause(revision.causeEventId, revision.causeEventType, revision.causeSubject), revision.change,
                revision.basicFeePlan, revision.activeMailboxes, money(revision.monthlyNetTotal), catalog.currency(),
                revision.occurredAt);
        OutgoingCloudEventMetadata<String> cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(eventId(revision).toString())
                .withSource(source)
                .withType(TYPE)
                .withSubject(revision.tenantId)
                .withTimestamp(revision.occurredAt.atZone(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withDataSchema(SCHEMA)
                .withExtension("tenantid", revision.tenantId)
                .withExtension("causationid", revision.causeEventId.toString())
                .build();
        OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(revision.tenantId)
                .build();
        return emitter.sendMessage(Message.of(toJson(data), Metadata.of(cloudEvent, record)))
                .subscribeAsCompletionStage();
    }

    static UUID eventId(ContractRevision revision) {
        return UUID.nameUUIDFromBytes((TYPE + ":" + revision.tenantId + ":" + revision.revision)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String money(BigDecimal amount) {
        return amount.setScale(2).toPlainString();
    }

    private String toJson(ContractUpdated data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise ContractUpdated", e);
        }
    }
}
