package dev.mailops.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What makes a record of an event topic readable, and what makes it poison, with the published schemas. */
class CloudEventReaderTest {

    static final Set<String> HANDLED = Set.of("DomainAdded");
    static final UUID ID = UUID.fromString("0b5f7c1e-2d7a-4a8e-9a52-3f1c1f0e9a10");

    final CloudEventReader reader = new CloudEventReader(new ObjectMapper());

    static RecordHeaders headers(String type, String schema) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, "ce_specversion", "1.0");
        add(headers, "ce_id", ID.toString());
        add(headers, "ce_type", type);
        add(headers, "ce_subject", "shop.example");
        add(headers, "ce_time", "2026-03-01T10:15:30.123Z");
        add(headers, "ce_tenantid", "acme");
        if (schema != null) {
            add(headers, "ce_dataschema", schema);
        }
        return headers;
    }

    static RecordHeaders domainAdded() {
        return headers("DomainAdded", "urn:mailops:schema:mailbox-events:DomainAdded:v1");
    }

    static void add(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidRecordIsReadWithItsHeadersAndData() {
        CloudEvent event = reader.read(domainAdded(), "acme", "{\"domain\":\"shop.example\",\"later\":1}", HANDLED);
        assertThat(event.id()).isEqualTo(ID);
        assertThat(event.type()).isEqualTo("DomainAdded");
        assertThat(event.tenantId()).isEqualTo("acme");
        assertThat(event.subject()).isEqualTo("shop.example");
        assertThat(event.time()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123Z"));
        assertThat(event.data().get("domain").asText()).isEqualTo("shop.example");
    }

    @Test
    void aTimeWithAnOffsetIsTheSameInstant() {
        RecordHeaders headers = domainAdded();
        add(headers, "ce_time", "2026-03-01T11:15:30.123+01:00");
        assertThat(reader.read(headers, "acme", "{\"domain\":\"shop.example\"}", HANDLED).time())
                .isEqualTo(Instant.parse("2026-03-01T10:15:30.123Z"));
    }

    @Test
    void theDataAsTheCallersClass() {
        record DomainAdded(String domain) {
        }
        CloudEvent event = reader.read(domainAdded(), "acme", "{\"domain\":\"shop.example\"}", HANDLED);
        assertThat(reader.data(event, DomainAdded.class)).isEqualTo(new DomainAdded("shop.example"));
    }

    @Test
    void aKeyOtherThanTheTenantIsPoison() {
        assertThatThrownBy(() -> reader.read(domainAdded(), "other", "{\"domain\":\"shop.example\"}", HANDLED))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("differs from ce_tenantid");
    }

    @Test
    void aRecordWithoutAKeyIsReadByItsTenantHeader() {
        assertThat(reader.read(domainAdded(), null, "{\"domain\":\"shop.example\"}", HANDLED).tenantId())
                .isEqualTo("acme");
    }

    @Test
    void aMissingRequiredHeaderIsPoison() {
        for (String header : new String[] { "ce_type", "ce_tenantid", "ce_id", "ce_time" }) {
            RecordHeaders headers = domainAdded();
            headers.remove(header);
            assertThatThrownBy(() -> reader.read(headers, null, "{\"domain\":\"shop.example\"}", HANDLED)).as(header)
                    .isInstanceOf(PoisonRecordException.class).hasMessageContaining(header);
        }
    }

    @Test
    void aUtcTimeIsTheInstantTheGeneralParserReads() {
        for (String time : new String[] { "2026-03-01T10:15:30Z", "2026-03-01T10:15:30.1Z", "2026-03-01T10:15:30.123Z",
                "2026-12-31T23:59:59.123456Z", "2024-02-29T00:00:00.000000001Z", "1970-01-01T00:00:00.999999999Z",
                "2026-03-01t10:15:30z", "2026-03-01T10:15Z", "2026-03-01T10:15:30.Z", "2026-03-01T10:15:30.5-00:30" }) {
            assertThat(CloudEventReader.time(time)).as(time).isEqualTo(OffsetDateTime.parse(time).toInstant());
        }
    }

    @Test
    void aTimeOutOfRangeOrOfTheWrongShapeIsPoison() {
        for (String time : new String[] { "2026-02-30T10:15:30Z", "2026-03-01T24:00:00Z", "2026-13-01T10:15:30Z",
                "2026-03-01T10:15:3xZ", "2026-03-01T10:15:30.1234567890Z",
                "2026-03-01T10:15:30", "+2026-03-01T10:15:30Z", "2026-03-01 10:15:30Z", "2026-03-01T10:15:30.12a4Z" }) {
            RecordHeaders headers = domainAdded();
            add(headers, "ce_time", time);
            assertThatThrownBy(() -> reader.read(headers, "acme", "{\"domain\":\"shop.example\"}", HANDLED)).as(time)
                    .isInstanceOf(PoisonRecordException.class).hasMessageContaining("malformed");
        }
    }

    @Test
    void aMalformedIdOrTimeIsPoison() {
        RecordHeaders badId = domainAdded();
        add(badId, "ce_id", "42");
        assertThatThrownBy(() -> reader.read(badId, "acme", "{\"domain\":\"shop.example\"}", HANDLED))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("malformed");
        RecordHeaders badTime = domainAdded();
        add(badTime, "ce_time", "yesterday");
        assertThatThrownBy(() -> reader.read(badTime, "acme", "{\"domain\":\"shop.example\"}", HANDLED))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("malformed");
    }

    @Test
    void aValueThatIsNoJsonObjectIsPoison() {
        for (String value : new String[] { null, "not json", "[1,2]", "\"text\"", "{\"domain\":" }) {
            assertThatThrownBy(() -> reader.read(domainAdded(), "acme", value, HANDLED)).as(String.valueOf(value))
                    .isInstanceOf(PoisonRecordException.class);
            byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> reader.read(domainAdded(), "acme", bytes, HANDLED)).as(String.valueOf(value))
                    .isInstanceOf(PoisonRecordException.class);
        }
    }

    @Test
    void aValueReadFromItsBytesIsTheSameEvent() {
        String value = "{\"domain\":\"shop.example\",\"later\":\"Bücher\"}";
        assertThat(reader.read(domainAdded(), "acme", value.getBytes(StandardCharsets.UTF_8), Set.of()))
                .isEqualTo(reader.read(domainAdded(), "acme", value, Set.of()));
    }

    @Test
    void dataAgainstItsSchemaIsPoison() {
        assertThatThrownBy(() -> reader.read(domainAdded(), "acme", "{\"domain\":\"Not A Domain\"}", HANDLED))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("violates");
        assertThatThrownBy(() -> reader.read(domainAdded(), "acme", "{}", HANDLED))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("violates");
    }

    @Test
    void anUnknownSchemaIsPoisonOnlyForATypeTheCallerActsOn() {
        RecordHeaders future = headers("DomainAdded", "urn:mailops:schema:mailbox-events:DomainAdded:v9");
        assertThatThrownBy(() -> reader.read(future, "acme", "{\"domain\":\"shop.example\"}", HANDLED))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("no known schema");
        RecordHeaders none = headers("DomainAdded", null);
        assertThatThrownBy(() -> reader.read(none, "acme", "{\"domain\":\"shop.example\"}", HANDLED))
                .isInstanceOf(PoisonRecordException.class);

        RecordHeaders other = headers("TenantRenamed", "urn:mailops:schema:mailbox-events:TenantRenamed:v1");
        assertThat(reader.read(other, "acme", "{\"name\":\"x\"}", HANDLED).type()).isEqualTo("TenantRenamed");
    }

    @Test
    void onlyANamedTypeTheCallerDoesNotHandleIsIgnorable() {
        assertThat(CloudEventReader.ignorable(headers("FeeChanged", null), HANDLED)).isTrue();
        assertThat(CloudEventReader.ignorable(domainAdded(), HANDLED)).isFalse();
        RecordHeaders untyped = domainAdded();
        untyped.remove("ce_type");
        assertThat(CloudEventReader.ignorable(untyped, HANDLED)).as("read, and dead-lettered").isFalse();
        RecordHeaders blank = domainAdded();
        add(blank, "ce_type", " ");
        assertThat(CloudEventReader.ignorable(blank, HANDLED)).isFalse();
    }
}
