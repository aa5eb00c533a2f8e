package dev.mailops.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

class CloudEventMessagesTest {

    @Test
    void anEventBecomesABinaryCloudEventKeyedByItsTenant() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("aggregateversion", 3);
        extensions.put("correlationid", "req-1");
        OutgoingEvent event = new OutgoingEvent(UUID.fromString("6f1c4d0e-6a56-4b8e-9a51-2c1f1b2f9d01"), "AliasAdded",
                OutgoingEvent.schema("mailbox-events", "AliasAdded", 1), "mailbox-42", "t-1",
                Instant.parse("2026-11-30T10:15:30Z"), extensions, "{\"alias\":\"a@b.de\"}", null);

        Message<String> message = CloudEventMessages.toMessage(event, URI.create("/mailops/mailbox-service"));

        @SuppressWarnings("unchecked")
        OutgoingCloudEventMetadata<String> cloudEvent = message.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow();
        assertThat(cloudEvent.getId()).isEqualTo("6f1c4d0e-6a56-4b8e-9a51-2c1f1b2f9d01");
        assertThat(cloudEvent.getType()).isEqualTo("AliasAdded");
        assertThat(cloudEvent.getSource()).isEqualTo(URI.create("/mailops/mailbox-service"));
        assertThat(cloudEvent.getSubject()).contains("mailbox-42");
        assertThat(cloudEvent.getDataSchema()).contains(URI.create("urn:mailops:schema:mailbox-events:AliasAdded:v1"));
        assertThat(cloudEvent.getDataContentType()).contains("application/json");
        assertThat(cloudEvent.getTimeStamp()).map(time -> time.toInstant()).contains(Instant.parse("2026-11-30T10:15:30Z"));
        assertThat(cloudEvent.getExtensions()).containsEntry("tenantid", "t-1").containsEntry("aggregateversion", 3)
                .containsEntry("correlationid", "req-1");
        assertThat(message.getMetadata(OutgoingKafkaRecordMetadata.class)).map(OutgoingKafkaRecordMetadata::getKey)
                .contains("t-1");
        assertThat(message.getPayload()).isEqualTo("{\"alias\":\"a@b.de\"}");
    }

    @Test
    void aTombstoneHasItsKeyAndHeadersAndNoValue() {
        OutgoingEvent tombstone = OutgoingEvent.tombstone(UUID.randomUUID(), "MailboxCredential",
                OutgoingEvent.schema("mailbox-credentials", "MailboxCredential", 1), "mailbox-42", "t-1",
                Instant.parse("2026-11-30T10:15:30Z"), null, "mailbox-42");

        Message<String> message = CloudEventMessages.toMessage(tombstone, URI.create("/mailops/mailbox-service"));

        assertThat(message.getPayload()).isNull();
        assertThat(message.getMetadata(OutgoingKafkaRecordMetadata.class)).map(OutgoingKafkaRecordMetadata::getKey)
                .contains("mailbox-42");
        @SuppressWarnings("unchecked")
        OutgoingCloudEventMetadata<String> cloudEvent = message.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow();
        assertThat(cloudEvent.getType()).isEqualTo("MailboxCredential");
        assertThat(cloudEvent.getSubject()).contains("mailbox-42");
        assertThat(cloudEvent.getExtensions()).containsEntry("tenantid", "t-1");
    }

    @Test
    void anEventWithDataNeedsItAndIsKeyedByItsTenantUnlessToldOtherwise() {
        OutgoingEvent event = new OutgoingEvent(UUID.randomUUID(), "MailboxCredential",
                OutgoingEvent.schema("mailbox-credentials", "MailboxCredential", 1), "mailbox-42", "t-1", Instant.now(),
                null, "{}", null);
        assertThat(event.key()).isEqualTo("t-1");
        assertThat(event.isTombstone()).isFalse();
        assertThat(CloudEventMessages.toMessage(event.keyedBy("mailbox-42"), URI.create("/x"))
                .getMetadata(OutgoingKafkaRecordMetadata.class)).map(OutgoingKafkaRecordMetadata::getKey)
                .contains("mailbox-42");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OutgoingEvent(UUID.randomUUID(), "X",
                URI.create("urn:x"), null, "t-1", Instant.now(), null, null, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void anEventWithoutSubjectHasNone() {
        OutgoingEvent event = new OutgoingEvent(UUID.randomUUID(), "ContractUpdated",
                OutgoingEvent.schema("billing-events", "ContractUpdated", 1), null, "t-2", Instant.now(), null, "{}", null);

        @SuppressWarnings("unchecked")
        OutgoingCloudEventMetadata<String> cloudEvent = CloudEventMessages.toMessage(event, URI.create("/x"))
                .getMetadata(OutgoingCloudEventMetadata.class).orElseThrow();

        assertThat(cloudEvent.getSubject()).isEmpty();
        assertThat(cloudEvent.getExtensions()).containsOnlyKeys("tenantid");
    }
}
