package dev.mailops.mailbox.messaging;

import static dev.mailops.mailbox.Api.addAlias;
import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.mailbox;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;
import static dev.mailops.testinfra.TopicProbe.header;
import static dev.mailops.testinfra.TopicProbe.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.mailbox.domain.event.MailboxEvent;
import dev.mailops.mailbox.Api;
import dev.mailops.testinfra.TopicProbe;

/** What an outside subscriber of mailbox.events receives, checked against the published contract. */
@QuarkusTest
class PublishedEventsTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void everyCommandReachesTheTopicAsACloudEventMatchingItsSchemaInOrder() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        try (TopicProbe probe = TopicProbe.open(Api.EVENTS_TOPIC)) {
            registerDomain(tenant, domain);
            Map<String, Object> body = mailbox("anna", domain, "MAIL_STANDARD");
            body.put("forwardTo", List.of("office@partner.de"));
            body.put("keepCopy", true);
            String id = admin(tenant).body(body).post("/api/v1/mailboxes").then().statusCode(201).extract().path("id");
            addAlias(tenant, id, "sales", domain);
            addAlias(tenant, id, "info", domain);
            admin(tenant).delete("/api/v1/mailboxes/" + id + "/aliases/info@" + domain).then().statusCode(204);
            admin(tenant).body(Map.of("password", "Battery-Staple-7", "passwordConfirmation", "Battery-Staple-7"))
                    .put("/api/v1/mailboxes/" + id + "/password").then().statusCode(204);
            admin(tenant).body(Map.of("rate", "MAIL_LIGHT")).put("/api/v1/mailboxes/" + id + "/rate").then().statusCode(200);
            admin(tenant).body(Map.of("plan", "BUSINESS_PREMIUM")).put("/api/v1/basic-fee").then().statusCode(200);
            admin(tenant).delete("/api/v1/mailboxes/" + id).then().statusCode(204);

            List<ConsumerRecord<String, String>> records = probe.await(keyed(tenant), 10, WAIT);
            assertThat(records).extracting(r -> header(r, "ce_type")).containsExactly("DomainAdded", "DomainVerified",
                    "MailboxCreated", "AliasAdded", "AliasAdded", "AliasRemoved", "PasswordChanged", "RateChanged", "FeeChanged",
                    "MailboxDeleted");
            assertThat(records).extracting(r -> header(r, "ce_id")).doesNotHaveDuplicates();
            assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());

            for (ConsumerRecord<String, String> record : records) {
                String type = header(record, "ce_type");
                assertThat(MailboxEvent.TYPES).containsKey(type);
                assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
                assertThat(UUID.fromString(header(record, "ce_id"))).isNotNull();
                assertThat(header(record, "ce_source")).isEqualTo("/mailops/mailbox-service");
                assertThat(OffsetDateTime.parse(header(record, "ce_time"))).isNotNull();
                assertThat(header(record, "ce_dataschema")).isEqualTo("urn:mailops:schema:mailbox-events:" + type + ":v1");
                assertThat(header(record, "content-type")).startsWith("application/json");
                assertThat(header(record, "ce_tenantid")).isEqualTo(tenant);
                assertThat(header(record, "ce_subject")).isEqualTo(header(record, "ce_aggregateid"));
                assertThat(header(record, "ce_correlationid")).isNotBlank();
                assertThat(record.value()).doesNotContainIgnoringCase("password").doesNotContain("argon2");
                assertThat(ContractSchemas.validate(type, 1, record.value()))
                        .as("%s %s against its schema", type, record.value()).isEmpty();
            }
            List<ConsumerRecord<String, String>> mailboxStream = records.stream()
                    .filter(r -> id.equals(header(r, "ce_subject"))).toList();
            assertThat(mailboxStream).extracting(r -> header(r, "ce_aggregatetype")).containsOnly("Mailbox");
            assertThat(mailboxStream).extracting(r -> header(r, "ce_aggregateversion"))
                    .containsExactly("1", "2", "3", "4", "5", "6", "7");
            assertThat(new ObjectMapper().readTree(records.get(0).value()).get("domain").asText()).isEqualTo(domain);
            assertThat(new ObjectMapper().readTree(records.get(1).value()))
                    .isEqualTo(new ObjectMapper().readTree("{\"domain\":\"" + domain + "\",\"method\":\"none\"}"));
            assertThat(new ObjectMapper().readTree(records.get(7).value()))
                    .isEqualTo(new ObjectMapper().readTree("{\"mailboxId\":\"" + id + "\",\"address\":\"anna@" + domain
                            + "\",\"previousRate\":\"MAIL_STANDARD\",\"rate\":\"MAIL_LIGHT\"}"));
            assertThat(header(records.get(8), "ce_subject")).isEqualTo(tenant);
        }
    }

    @Test
    void anEventIsPublishedInTheTraceOfTheRequestThatCausedIt() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String tenant = newTenant();
        try (TopicProbe probe = TopicProbe.open(Api.EVENTS_TOPIC)) {
            admin(tenant).header("traceparent", "00-" + traceId + "-b7ad6b7169203331-00")
                    .put("/api/v1/domains/" + newDomain()).then().statusCode(201);
            ConsumerRecord<String, String> record = probe.await(keyed(tenant), 1, WAIT).get(0);
            assertThat(header(record, "traceparent")).startsWith("00-" + traceId + "-");
        }
    }

    @Test
    void everyPublishedTypesSchemaAcceptsItsOwnExamples() throws Exception {
        Map<String, List<String>> families = Map.of("mailbox-events", List.copyOf(MailboxEvent.TYPES.keySet()),
                "mailbox-credentials", List.of("MailboxCredential", "DkimPrivateKey"));
        ObjectMapper json = new ObjectMapper();
        for (var family : families.entrySet()) {
            for (String type : family.getValue()) {
                var examples = json.readTree(ContractSchemas.schemaFile(family.getKey(), type, 1).toFile()).get("examples");
                assertThat(examples).as("examples of %s", type).isNotEmpty();
                for (var example : examples) {
                    assertThat(ContractSchemas.validateExample(family.getKey(), type, 1, example.toString()))
                            .as("%s example %s", type, example).isEmpty();
                }
            }
        }
    }

    @Test
    void aSchemaRejectsWhatTheContractForbids() {
        assertThat(ContractSchemas.validate("MailboxDeleted", 1,
                "{\"mailboxId\":\"" + UUID.randomUUID() + "\",\"address\":\"a@shop.de\",\"aliases\":[],\"rate\":\"MAIL_LIGHT\"}"))
                .isNotEmpty();
        assertThat(ContractSchemas.validate("AliasAdded", 1,
                "{\"mailboxId\":\"not-a-uuid\",\"alias\":\"a@shop.de\"}"))
                .isNotEmpty();
        assertThat(ContractSchemas.validate("RateChanged", 1,
                "{\"mailboxId\":\"" + UUID.randomUUID() + "\",\"address\":\"a@shop.de\",\"rate\":\"MAIL_LIGHT\"}"))
                .as("without previousRate").isNotEmpty();
        assertThat(ContractSchemas.validate("mailbox-credentials", "MailboxCredential", 1,
                "{\"mailboxId\":\"" + UUID.randomUUID() + "\",\"address\":\"a@shop.de\",\"passwordHash\":\"secret\"}"))
                .as("a hash not in Dovecot's form").isNotEmpty();
    }
}
