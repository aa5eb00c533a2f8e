package dev.mailops.outbox;

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

/**
 * The one writer of the wire format: an event becomes a CloudEvent in Kafka binary mode (SmallRye's
 * CloudEvents support writes the attributes as {@code ce_*} headers), the JSON data as the record
 * value, under the event's key (the tenant, unless the event names another). A tombstone has the
 * headers and a null value. consumer-kit's {@code CloudEventReader} is the one reader.
 */
public final class CloudEventMessages {

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

    private CloudEventMessages() {
    }

    public static Message<String> toMessage(OutgoingEvent event, URI source) {
        var cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(event.id().toString())
                .withSource(source)
                .withType(event.type())
                .withTimestamp(event.time().atZone(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withDataSchema(event.dataSchema())
                .withExtension("tenantid", event.tenantId());
        if (event.subject() != null) {
            cloudEvent.withSubject(event.subject());
        }
        event.extensions().forEach(cloudEvent::withExtension);
        Metadata metadata = Metadata.of(cloudEvent.build(),
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build());
        if (event.traceParent() != null) {
            // The Kafka connector starts its producer span (and writes traceparent) inside the request's trace.
            Context request = W3CTraceContextPropagator.getInstance().extract(Context.root(),
                    Map.of("traceparent", event.traceParent()), TRACE_CARRIER);
            metadata = metadata.with(TracingMetadata.withCurrent(request));
        }
        return Message.of(event.data(), metadata);
    }
}
