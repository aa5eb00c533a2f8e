package dev.mailops.dns;

import static dev.mailops.dns.DnsFixture.WAIT;
import static dev.mailops.dns.DnsFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.mailops.dns.server.AuthoritativeServer;
import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.MailboxEventsFixture;
import dev.mailops.testinfra.TopicProbe;

/**
 * The self-hosted profile publishes each domain's own DKIM keys from DkimKeyGenerated and DkimKeyRetired,
 * as the authoritative DNS server answers them over UDP and TCP.
 */
@QuarkusTest
@TestProfile(SelfHostedProfileTest.LocalMailHost.class)
class DkimKeyRecordsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static MailboxEventsFixture events;

    @Inject
    AuthoritativeServer server;

    @BeforeAll
    static void producer() {
        events = MailboxEventsFixture.forConsumedTopic();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    record Zone(String tenant, String domain) {
        String selector(String selector) {
            return selector + "._domainkey." + domain;
        }
    }

    static Zone provisioned() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 13);
        String domain = "keys-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        DnsFixture.provision(events, tenant, domain);
        return new Zone(tenant, domain);
    }

    /** A DKIM record of a fresh RSA-2048 key, as mailbox-service writes it (about 410 characters). */
    static String rsaRecord() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic()
                .getEncoded());
    }

    static String generatedJson(Zone zone, String selector, UUID keyId, String record) throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("domain", zone.domain());
        data.put("selector", selector);
        data.put("keyId", keyId.toString());
        data.put("algorithm", "rsa-sha256");
        data.put("publicKey", record.substring(record.indexOf("p=") + 2));
        data.put("record", record);
        return JSON.writeValueAsString(data);
    }

    static MailboxEventsFixture.Sent generated(MailboxEventsFixture to, Zone zone, String selector, UUID keyId,
            String record) throws Exception {
        return to.send(zone.tenant(), "DkimKeyGenerated", zone.domain(), Instant.now(),
                generatedJson(zone, selector, keyId, record));
    }

    static MailboxEventsFixture.Sent retired(MailboxEventsFixture to, Zone zone, String selector, UUID keyId)
            throws Exception {
        return to.send(zone.tenant(), "DkimKeyRetired", zone.domain(), Instant.now(), JSON.writeValueAsString(
                Map.of("domain", zone.domain(), "selector", selector, "keyId", keyId.toString())));
    }

    /** The TXT records at the name, each as its character-strings. */
    List<List<String>> txt(String name, boolean tcp) throws Exception {
        return DnsFixture.query(server.port(), name, Type.TXT, tcp).getSection(Section.ANSWER).stream()
                .map(r -> ((TXTRecord) r).getStringsAsByteArrays().stream()
                        .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList())
                .toList();
    }

    List<String> joined(String name, boolean tcp) throws Exception {
        return txt(name, tcp).stream().map(strings -> String.join("", strings)).toList();
    }

    long serial(Zone zone) throws Exception {
        return ((SOARecord) DnsFixture.query(server.port(), zone.domain(), Type.SOA, false).getSection(Section.ANSWER)
                .get(0)).getSerial();
    }

    /** The stored records as the API lists them: source, type, ttl, value, managedBy. */
    static List<String> records(Zone zone) {
        return as(zone.tenant(), "user").get("/api/v1/domains/" + zone.domain() + "/records").then().statusCode(200)
                .extract().jsonPath().getList("records", Map.class).stream()
                .map(r -> r.get("source") + " " + r.get("type") + " " + r.get("ttl") + " " + r.get("value") + " "
                        + r.get("managedBy"))
                .sorted().toList();
    }

    @Test
    void eachSelectorServesItsKeyInCharacterStringsOfAtMost255OctetsOverUdpAndTcp() throws Exception {
        Zone zone = provisioned();
        long provisionedSerial = serial(zone);
        String first = rsaRecord();
        String second = rsaRecord();
        generated(events, zone, "mbo0001", UUID.randomUUID(), first);
        generated(events, zone, "mbo0002", UUID.randomUUID(), second);
        await().atMost(WAIT).until(() -> joined(zone.selector("mbo0002"), false).equals(List.of(second)));
        for (boolean tcp : List.of(false, true)) {
            assertThat(txt(zone.selector("mbo0001"), tcp)).singleElement().satisfies(strings -> {
                assertThat(String.join("", strings)).isEqualTo(first);
                assertThat(strings).hasSize(2);
                assertThat(strings.get(0)).isEqualTo(first.substring(0, 255));
                assertThat(strings.get(1)).isEqualTo(first.substring(255));
            });
            assertThat(joined(zone.selector("mbo0002"), tcp)).containsExactly(second);
            Record answer = DnsFixture.query(server.port(), zone.selector("mbo0001"), Type.TXT, tcp)
                    .getSection(Section.ANSWER).get(0);
            assertThat(answer.getTTL()).isEqualTo(3600);
        }
        assertThat(serial(zone)).isEqualTo(provisionedSerial + 2);
        assertThat(records(zone)).contains("mbo0001._domainkey TXT 3600 " + first + " PROVIDER",
                "mbo0002._domainkey TXT 3600 " + second + " PROVIDER");
        assertThat(as(zone.tenant(), "user").get("/api/v1/domains/" + zone.domain() + "/zone").then().statusCode(200)
                .extract().asString()).contains("mbo0001._domainkey." + zone.domain() + ".\t3600\tIN\tTXT\t\""
                        + first.substring(0, 255) + "\" \"" + first.substring(255) + "\"");
    }

    @Test
    void aSecondKeyForASelectorReplacesTheFirstAndARetiredKeyIsRemoved() throws Exception {
        Zone zone = provisioned();
        UUID k1 = UUID.randomUUID();
        String r1 = rsaRecord();
        generated(events, zone, "mbo0001", k1, r1);
        generated(events, zone, "mbo0002", UUID.randomUUID(), rsaRecord());
        await().atMost(WAIT).until(() -> joined(zone.selector("mbo0001"), false).equals(List.of(r1)));

        UUID k2 = UUID.randomUUID();
        String r2 = rsaRecord();
        generated(events, zone, "mbo0001", k2, r2);
        await().atMost(WAIT).until(() -> joined(zone.selector("mbo0001"), false).equals(List.of(r2)));
        assertThat(joined(zone.selector("mbo0001"), true)).containsExactly(r2);

        // k1 is no longer published, so retiring it leaves k2; retiring k2 removes the selector's record.
        retired(events, zone, "mbo0001", k1);
        retired(events, zone, "mbo0001", k2);
        await().atMost(WAIT).until(() -> DnsFixture.query(server.port(), zone.selector("mbo0001"), Type.TXT, false)
                .getRcode() == Rcode.NXDOMAIN);
        assertThat(DnsFixture.query(server.port(), zone.selector("mbo0001"), Type.TXT, true).getRcode())
                .isEqualTo(Rcode.NXDOMAIN);
        assertThat(joined(zone.selector("mbo0002"), true)).hasSize(1);
        assertThat(records(zone)).noneMatch(r -> r.startsWith("mbo0001._domainkey"));
    }

    @Test
    void aRotationsRetireAndFreshKeyInOnePollLeaveTheFreshKeyWhicheverComesFirst() throws Exception {
        String topic = ConfigProvider.getConfig().getValue("mp.messaging.incoming.mailbox-events.topic", String.class);
        Zone zone = provisioned();
        UUID old = UUID.randomUUID();
        generated(events, zone, "mbo0001", old, rsaRecord());
        generated(events, zone, "mbo0002", UUID.randomUUID(), rsaRecord());
        UUID fresh = UUID.randomUUID();
        String freshRecord = rsaRecord();
        UUID fresher = UUID.randomUUID();
        String fresherRecord = rsaRecord();
        try (MailboxEventsFixture atomic = MailboxEventsFixture.transactional(topic)) {
            atomic.inOneTransaction(() -> {
                try {
                    generated(atomic, zone, "mbo0001", fresh, freshRecord);
                    retired(atomic, zone, "mbo0001", old);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(WAIT).until(() -> joined(zone.selector("mbo0001"), false).equals(List.of(freshRecord)));
            atomic.inOneTransaction(() -> {
                try {
                    retired(atomic, zone, "mbo0001", fresh);
                    generated(atomic, zone, "mbo0001", fresher, fresherRecord);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        await().atMost(WAIT).until(() -> joined(zone.selector("mbo0001"), false).equals(List.of(fresherRecord)));
        assertThat(joined(zone.selector("mbo0001"), true)).containsExactly(fresherRecord);
    }

    @Test
    void aRedeliveryAppliesOnceAndPoisonIsDeadLettered() throws Exception {
        String dlq = ConfigProvider.getConfig()
                .getValue("mp.messaging.incoming.mailbox-events.dead-letter-queue.topic", String.class);
        try (TopicProbe deadLetters = TopicProbe.open(dlq)) {
            Zone zone = provisioned();
            String record = rsaRecord();
            MailboxEventsFixture.Sent sent = generated(events, zone, "mbo0001", UUID.randomUUID(), record);
            await().atMost(WAIT).until(() -> joined(zone.selector("mbo0001"), false).equals(List.of(record)));
            long serial = serial(zone);
            List<String> before = records(zone);

            events.resend(sent);
            String againstSchema = "{\"domain\": \"" + zone.domain() + "\", \"selector\": \"Not A Label\"}";
            events.send(zone.tenant(), "DkimKeyGenerated", zone.domain(), Instant.now(), againstSchema);
            String tooLong = generatedJson(zone, "mbo0002", UUID.randomUUID(), "v=DKIM1; k=rsa; p=" + "A".repeat(4000));
            events.send(zone.tenant(), "DkimKeyGenerated", zone.domain(), Instant.now(), tooLong);
            DnsFixture.provision(events, zone.tenant(), "marker-" + UUID.randomUUID().toString().substring(0, 8)
                    + ".de"); // consumed after the three, in the tenant's partition

            assertThat(serial(zone)).isEqualTo(serial);
            assertThat(records(zone)).isEqualTo(before);
            assertThat(joined(zone.selector("mbo0001"), true)).containsExactly(record);
            List<ConsumerRecord<String, String>> dead = deadLetters.await(TopicProbe.keyed(zone.tenant()), 2, WAIT);
            assertThat(dead).extracting(ConsumerRecord::value).containsExactly(againstSchema, tooLong);
            assertThat(TopicProbe.header(dead.get(1), "dead-letter-reason")).contains("4000 bytes");
        }
    }

    @Test
    void everyKeyChangeIsAnnouncedWithTheCompleteRecordSet() throws Exception {
        String topic = ConfigProvider.getConfig().getValue("mp.messaging.outgoing.dns-events.topic", String.class);
        try (TopicProbe announced = TopicProbe.open(topic)) {
            Zone zone = provisioned();
            String record = rsaRecord();
            generated(events, zone, "mbo0001", UUID.randomUUID(), record);
            await().atMost(WAIT).until(() -> joined(zone.selector("mbo0001"), false).equals(List.of(record)));
            long serial = serial(zone);
            ConsumerRecord<String, String> announcement = announced.await(r -> TopicProbe.keyed(zone.tenant()).test(r)
                    && serialOf(r) == serial, 1, WAIT).get(0);

            var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Files.readString(
                    LocalInfrastructure.repositoryRoot().resolve("contract/dns-events/DnsRecordsChanged.v1.schema.json")));
            JsonNode data = JSON.readTree(announcement.value());
            assertThat(schema.validate(data)).isEmpty();
            assertThat(TopicProbe.header(announcement, "ce_subject")).isEqualTo(zone.domain());
            assertThat(data.get("records")).hasSize(records(zone).size()).anySatisfy(r -> {
                assertThat(r.get("name").asText()).isEqualTo("mbo0001._domainkey");
                assertThat(r.get("type").asText()).isEqualTo("TXT");
                assertThat(r.get("ttl").asInt()).isEqualTo(3600);
                assertThat(r.get("value").asText()).isEqualTo(record);
                assertThat(r.get("managedBy").asText()).isEqualTo("PROVIDER");
            });
        }
    }

    static long serialOf(ConsumerRecord<String, String> announcement) {
        try {
            return JSON.readTree(announcement.value()).get("serial").asLong();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aReplayRebuildsExactlyTheLiveZoneWithItsKeysAndTheSerialOnlyRises() throws Exception {
        Zone zone = provisioned();
        UUID k1 = UUID.randomUUID();
        generated(events, zone, "mbo0001", k1, rsaRecord());
        String r2 = rsaRecord();
        generated(events, zone, "mbo0002", UUID.randomUUID(), r2);
        String r3 = rsaRecord();
        retired(events, zone, "mbo0001", k1);
        generated(events, zone, "mbo0001", UUID.randomUUID(), r3);
        as(zone.tenant(), "admin").body(Map.of("source", "www", "type", "A", "value", "192.0.2.10"))
                .post("/api/v1/domains/" + zone.domain() + "/records").then().statusCode(201);
        await().atMost(WAIT).until(() -> joined(zone.selector("mbo0001"), false).equals(List.of(r3)));
        List<String> live = records(zone);
        long serial = serial(zone);

        as("ops", "operator").post("/api/v1/operations/replay").then().statusCode(200);

        assertThat(records(zone)).isEqualTo(live);
        assertThat(serial(zone)).isGreaterThan(serial);
        for (boolean tcp : List.of(false, true)) {
            assertThat(joined(zone.selector("mbo0001"), tcp)).containsExactly(r3);
            assertThat(joined(zone.selector("mbo0002"), tcp)).containsExactly(r2);
        }
    }
}
