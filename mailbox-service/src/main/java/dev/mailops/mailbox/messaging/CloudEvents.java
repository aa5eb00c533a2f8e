package dev.mailops.mailbox.messaging;

import java.net.URI;
import java.time.ZoneOffset;
import java.util.Map;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.mailops.mailbox.store.StoredEvent;

/**
 * How a stored event travels: a CloudEvent in Kafka binary mode (attributes as {@code ce_*} headers,
 * the event's JSON as the record value), keyed by tenant so one tenant's events stay in order.
 * The extension attributes are part of the public contract in {@code contract/asyncapi.yaml}.
 */
final class CloudEvents {

    static final String DATA_SCHEMA_PREFIX = "urn:mailops:schema:mailbox-events:";
    private static final TextMapGetter<Map<String, String>> TRACE_CARRIER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private CloudEvents() {
    }

    static Message<String> toMessage(StoredEvent event, URI source) {
        OutgoingCloudEventMetadata<String> cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(event.eventId.toString())
                .withSource(source)
                .withType(event.eventType)
                .withSubject(event.streamId)
                .withTimestamp(event.occurredAt.atZone(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withDataSchema(URI.create(DATA_SCHEMA_PREFIX + event.eventType + ":v" + event.schemaVersion))
                .withExtension("tenantid", event.tenantId)
                .withExtension("aggregatetype", event.streamType)
                .withExtension("aggregateid", event.streamId)
                .withExtension("aggregateversion", event.streamVersion)
                .withExtension("position", event.globalPosition)
                .withExtension("correlationid", event.correlationId == null ? "" : event.correlationId)
                .build();
        OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.tenantId)
                .build();
        Metadata metadata = Metadata.of(cloudEvent, record);
        if (event.traceParent != null) {
            // The Kafka connector starts its producer span (and writes traceparent) inside the request's trace.
            Context request = W3CTraceContextPropagator.getInstance().extract(Context.root(),
                    Map.of("traceparent", event.traceParent), TRACE_CARRIER);
            metadata = metadata.with(TracingMetadata.withCurrent(request));
        }
        return Message.of(event.payload, metadata);
    }
}
