package dev.mailops.gateway;

import static dev.mailops.gateway.GatewayIT.PASSWORD;
import static dev.mailops.gateway.GatewayIT.bearer;
import static dev.mailops.gateway.GatewayIT.login;
import static dev.mailops.gateway.GatewayIT.mailbox;
import static dev.mailops.testinfra.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;


import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.TestInfrastructure;
import dev.mailops.testinfra.TopicProbe;

/**
 * The whole system through its public surface only: the gateway's API as an integrating system
 * calls it, the DNS server as a resolver asks it, and mailbox.events as an outside subscriber reads
 * it with nothing but the published schemas. After every step all of them must agree.
 */
@QuarkusTest
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "gateway_test"))
@QuarkusTestResource(RunningServices.class)
class EndToEndIT {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();


    @Test
    void aTenantsMailboxLifecycleIsConsistentAcrossApiBillingDnsAndTopic() throws Exception {
        String tenant = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        String token = login(tenant + "-admin", PASSWORD);
        String domain = tenant + ".de";
        Predicate<ConsumerRecord<String, String>> ours = TopicProbe.keyed(tenant);

        try (TopicProbe topic = TopicProbe.open(RunningServices.eventsTopic);
                TopicProbe billingEvents = TopicProbe.open(RunningServices.billingTopic);
                TopicProbe dnsEvents = TopicProbe.open(RunningServices.dnsTopic)) {
            // 1. the domain: registered, served by DNS, announced
            bearer(token).put("/api/v1/domains/" + domain).then().statusCode(201);
            await().atMost(WAIT).until(() -> answers(domain, Type.MX).size() == 3);
            assertThat(answers("mbo0001._domainkey." + domain, Type.TXT)).hasSize(1);
            assertThat(answers("mbo0002._domainkey." + domain, Type.TXT)).hasSize(1);
            assertThat(answers("_dmarc." + domain, Type.TXT)).containsExactly("\"v=DMARC1; p=none\"");
            assertThat(answers(domain, Type.TXT)).containsExactly("\"v=spf1 include:mailbox.org ~all\"");
            assertEvents(topic, ours, "DomainAdded", "DomainVerified");
            contractAt(token, 0);

            // 2. a mailbox of each rate
            Map<String, String> ids = new HashMap<>();
            for (String rate : List.of("MAIL_LIGHT", "MAIL_STANDARD", "MAIL_PREMIUM")) {
                Map<String, Object> body = mailbox(rate.substring(5).toLowerCase(), domain, tenant + "-admin");
                body.put("rate", rate);
                ids.put(rate, bearer(token).body(body).post("/api/v1/mailboxes").then().statusCode(201)
                        .extract().path("id"));
            }
            bearer(token).get("/api/v1/mailboxes?domain=" + domain).then().body("totalItems", equalTo(3));
            assertEvents(topic, ours, "DomainAdded", "DomainVerified", "MailboxCreated", "MailboxCreated", "MailboxCreated");
            JsonPath contract = contractAt(token, 3);
            assertThat(contract.getString("monthlyNetTotal")).isEqualTo("13.00");
            assertThat(statement(token).getList("lines.kind")).containsExactly("BASIC_FEE", "MAILBOX", "MAILBOX", "MAILBOX");

            // 3. aliases up to the light rate's limit of 3, and one past it
            String light = ids.get("MAIL_LIGHT");
            for (String alias : List.of("a", "b", "c")) {
                bearer(token).body(Map.of("localPart", alias, "domain", domain))
                        .post("/api/v1/mailboxes/" + light + "/aliases").then().statusCode(201);
            }
            bearer(token).body(Map.of("localPart", "d", "domain", domain)).post("/api/v1/mailboxes/" + light + "/aliases")
                    .then().statusCode(409).body("type", equalTo("/problems/alias-limit-reached"))
                    .body("aliasLimit", equalTo(3));
            bearer(token).get("/api/v1/mailboxes/" + light).then().body("aliases.size()", equalTo(3));
            assertEvents(topic, ours, "DomainAdded", "DomainVerified", "MailboxCreated", "MailboxCreated", "MailboxCreated",
                    "AliasAdded", "AliasAdded", "AliasAdded");
            contractAt(token, 3); // aliases cost nothing

            // 4. the basic fee
            bearer(token).body(Map.of("plan", "BUSINESS_SUPPORT")).put("/api/v1/basic-fee").then().statusCode(200);
            contract = contractAt(token, 4);
            assertThat(contract.getString("basicFee.plan")).isEqualTo("BUSINESS_SUPPORT");
            assertThat(contract.getString("monthlyNetTotal")).isEqualTo("17.90");

            // 5. delete the light mailbox: its addresses are blocked
            bearer(token).delete("/api/v1/mailboxes/" + light).then().statusCode(204);
            bearer(token).get("/api/v1/mailboxes/" + light).then().statusCode(404);
            bearer(token).get("/api/v1/addresses/light@" + domain).then().body("status", equalTo("BLOCKED"));
            Map<String, Object> again = mailbox("light", domain, tenant + "-admin");
            again.put("rate", "MAIL_LIGHT");
            bearer(token).body(again).post("/api/v1/mailboxes").then().statusCode(409)
                    .body("type", equalTo("/problems/address-blocked"));
            contract = contractAt(token, 5);
            assertThat(contract.getString("monthlyNetTotal")).isEqualTo("16.90");
            assertThat(statement(token).getList("lines.reference")).contains(light); // billed through today

            // 6. the quarantine ends: released once per address, and the address can be created again
            await().atMost(WAIT).untilAsserted(() -> bearer(token).get("/api/v1/addresses/light@" + domain).then()
                    .body("status", equalTo("AVAILABLE")));
            List<ConsumerRecord<String, String>> released = topic.await(
                    ours.and(r -> "AddressReleased".equals(header(r, "ce_type"))), 4, WAIT);
            assertThat(released).extracting(r -> JSON.readTree(r.value()).get("address").asText())
                    .containsExactlyInAnyOrder("light@" + domain, "a@" + domain, "b@" + domain, "c@" + domain);
            String recreated = bearer(token).body(again).post("/api/v1/mailboxes").then().statusCode(201)
                    .extract().path("id");
            contractAt(token, 6);

            // 7. the topic as a whole, read as an outside subscriber with the published schemas only; a
            // last alias marks the end: the tenant's events arrive in order, so all before it are there
            bearer(token).body(Map.of("localPart", "marker", "domain", domain))
                    .post("/api/v1/mailboxes/" + recreated + "/aliases").then().statusCode(201);
            topic.await(ours.and(r -> "AliasAdded".equals(header(r, "ce_type")) && recreated.equals(header(r, "ce_subject"))),
                    1, WAIT);
            List<ConsumerRecord<String, String>> all = topic.readToEnd(ours);
            // 1 domain added and verified, 3 + 1 mailboxes, 3 + 1 aliases, 1 fee, 1 deletion, 4 releases
            assertThat(all).hasSize(16);
            assertThat(header(all.get(15), "ce_type")).isEqualTo("AliasAdded");
            assertThat(all).extracting(r -> header(r, "ce_id")).doesNotHaveDuplicates();
            var schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
            for (ConsumerRecord<String, String> record : all) {
                String type = header(record, "ce_type");
                var schema = schemas.getSchema(Files.readString(LocalInfrastructure.repositoryRoot()
                        .resolve("contract/mailbox-events/" + type + ".v1.schema.json")));
                assertThat(schema.validate(JSON.readTree(record.value()))).as(type).isEmpty();
            }
            assertThat(all.stream().filter(r -> light.equals(header(r, "ce_subject")))
                    .map(r -> header(r, "ce_aggregateversion"))).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");

            // 8. what billing and DNS announced agrees: one ContractUpdated per revision, the zone once
            List<ConsumerRecord<String, String>> contractUpdates = billingEvents.await(ours, 6, WAIT);
            assertThat(contractUpdates).extracting(r -> JSON.readTree(r.value()).get("revision").asInt())
                    .containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(JSON.readTree(contractUpdates.get(5).value()).get("monthlyNetTotal").asText()).isEqualTo("17.90");
            assertThat(validate(schemas, "billing-events/ContractUpdated", contractUpdates.get(5).value())).isEmpty();
            ConsumerRecord<String, String> zone = dnsEvents.await(ours, 1, WAIT).get(0);
            assertThat(header(zone, "ce_subject")).isEqualTo(domain);
            assertThat(JSON.readTree(zone.value()).get("records")).hasSize(13);
            assertThat(validate(schemas, "dns-events/DnsRecordsChanged", zone.value())).isEmpty();
        }
    }

    @Test
    void oneRequestIsOneTraceFromTheGatewayToTheTopic() throws Exception {
        String tenant = "trace-" + UUID.randomUUID().toString().substring(0, 8);
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        String token = login(tenant + "-admin", PASSWORD);
        String traceId = UUID.randomUUID().toString().replace("-", "");
        try (TopicProbe topic = TopicProbe.open(RunningServices.eventsTopic)) {
            bearer(token).header("traceparent", "00-" + traceId + "-b7ad6b7169203331-00")
                    .put("/api/v1/domains/" + tenant + ".de").then().statusCode(201);
            ConsumerRecord<String, String> record = topic.await(TopicProbe.keyed(tenant), 1, WAIT).get(0);
            assertThat(header(record, "traceparent")).startsWith("00-" + traceId + "-");
        }
    }

    private static java.util.Set<?> validate(JsonSchemaFactory schemas, String schema, String value) throws Exception {
        return schemas.getSchema(Files.readString(LocalInfrastructure.repositoryRoot()
                .resolve("contract/" + schema + ".v1.schema.json"))).validate(JSON.readTree(value));
    }

    private static JsonPath contractAt(String token, int revision) {
        await().atMost(WAIT).untilAsserted(() -> bearer(token).get("/api/v1/contract").then()
                .body("revision", equalTo(revision)));
        return bearer(token).get("/api/v1/contract").jsonPath();
    }

    private static JsonPath statement(String token) {
        String month = LocalDate.now(ZoneId.of("Europe/Berlin")).toString().substring(0, 7);
        return bearer(token).get("/api/v1/contract/statements/" + month).then().statusCode(200).extract().jsonPath();
    }

    private static void assertEvents(TopicProbe topic, Predicate<ConsumerRecord<String, String>> ours, String... types) {
        List<ConsumerRecord<String, String>> records = topic.await(ours, types.length, WAIT);
        assertThat(records).extracting(r -> header(r, "ce_type")).containsExactly(types);
    }

    private static List<String> answers(String name, int type) throws Exception {
        SimpleResolver resolver = new SimpleResolver("127.0.0.1");
        resolver.setPort(RunningServices.dnsPort);
        resolver.setTimeout(Duration.ofSeconds(3));
        Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
        return response.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }
}
