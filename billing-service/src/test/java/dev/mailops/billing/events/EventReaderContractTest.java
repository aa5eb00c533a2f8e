package dev.mailops.billing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.CloudEventReader;
import dev.mailops.consumer.PoisonRecordException;
import dev.mailops.testinfra.LocalInfrastructure;

/**
 * The consumer side of the contract: billing's own event classes read the examples of the published
 * schemas, and what breaks a schema is refused as poison.
 */
class EventReaderContractTest {

    private final CloudEventReader reader = new CloudEventReader(new ObjectMapper().registerModule(new JavaTimeModule()));

    private CloudEvent read(RecordHeaders headers, String key, String value) {
        return reader.read(headers, key, value, MailboxEvents.BILLED_TYPES);
    }

    @ParameterizedTest
    @ValueSource(strings = { "MailboxCreated", "MailboxDeleted", "FeeChanged", "RateChanged", "AliasAdded", "AliasRemoved",
            "DomainAdded", "AddressReleased" })
    void readsTheExampleOfEveryPublishedSchema(String type) throws Exception {
        JsonNode schema = new ObjectMapper().readTree(Files.readString(
                LocalInfrastructure.repositoryRoot().resolve("contract/mailbox-events/" + type + ".v1.schema.json")));
        JsonNode example = schema.get("examples").get(0);
        CloudEvent event = read(headers(type, "acme"), "acme", example.toString());
        assertThat(event.type()).isEqualTo(type);
        Object data = MailboxEvents.dataOf(event, reader);
        switch (type) {
            case "MailboxCreated" -> assertThat(data).isInstanceOfSatisfying(MailboxEvents.MailboxCreated.class,
                    created -> assertThat(created.rate()).isEqualTo(example.get("rate").asText()));
            case "MailboxDeleted" -> assertThat(data).isInstanceOfSatisfying(MailboxEvents.MailboxDeleted.class,
                    deleted -> assertThat(deleted.mailboxId()).hasToString(example.get("mailboxId").asText()));
            case "FeeChanged" -> assertThat(data).isInstanceOfSatisfying(MailboxEvents.FeeChanged.class,
                    changed -> assertThat(changed.newPlan()).isEqualTo(example.get("newPlan").asText()));
            case "RateChanged" -> assertThat(data).isInstanceOfSatisfying(MailboxEvents.RateChanged.class,
                    changed -> assertThat(changed).isEqualTo(new MailboxEvents.RateChanged(
                            UUID.fromString(example.get("mailboxId").asText()), example.get("address").asText(),
                            example.get("previousRate").asText(), example.get("rate").asText())));
            default -> assertThat(data).isNull();
        }
    }

    @Test
    void refusesWhatBreaksTheSchemaOrTheEnvelope() {
        assertThatThrownBy(() -> read(headers("MailboxCreated", "acme"), "acme", "{\"mailboxId\":\"x\"}"))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("violates");
        assertThatThrownBy(() -> read(headers("RateChanged", "acme"), "acme",
                "{\"mailboxId\":\"" + UUID.randomUUID() + "\",\"address\":\"a@b.de\",\"rate\":\"MAIL_LIGHT\"}"))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("violates"); // no previousRate
        assertThatThrownBy(() -> read(headers("FeeChanged", "acme"), "acme", "not json"))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> read(headers("FeeChanged", "acme"), "other",
                "{\"oldPlan\":\"A\",\"newPlan\":\"B\"}"))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("differs");
        RecordHeaders noId = headers("FeeChanged", "acme");
        noId.remove("ce_id");
        assertThatThrownBy(() -> read(noId, "acme", "{\"oldPlan\":\"A\",\"newPlan\":\"B\"}"))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("ce_id");
    }

    @Test
    void toleratesTypesAndFieldsItDoesNotKnow() {
        RecordHeaders future = headers("MailboxRenamed", "acme");
        assertThat(MailboxEvents.dataOf(read(future, "acme", "{\"anything\":1}"), reader)).isNull();
        CloudEvent event = read(headers("FeeChanged", "acme"), "acme",
                "{\"oldPlan\":\"BUSINESS_RESELLER\",\"newPlan\":\"BUSINESS_SUPPORT\",\"reason\":\"new field\"}");
        assertThat(MailboxEvents.dataOf(event, reader)).isEqualTo(new MailboxEvents.FeeChanged("BUSINESS_RESELLER", "BUSINESS_SUPPORT"));
    }

    static RecordHeaders headers(String type, String tenant) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_tenantid", tenant.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_time", "2026-11-27T08:30:00.123456Z".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_dataschema", ("urn:mailops:schema:mailbox-events:" + type + ":v1").getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
