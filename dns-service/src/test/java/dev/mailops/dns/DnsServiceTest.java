package dev.mailops.dns;

import static dev.mailops.dns.DnsFixture.WAIT;
import static dev.mailops.dns.DnsFixture.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.dns.server.AuthoritativeServer;
import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.MailboxEventsFixture;
import dev.mailops.testinfra.TopicProbe;

@QuarkusTest
class DnsServiceTest {

    static final String DKIM_1 = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2K4PavXoNY8eGK2u61LIQlOHS8f5sWsCK5b+HMOfo0M+aNHwfqlVdzi/IwmYnuDKuXYuCllrgnxZ4fG4yVaux58v9grVsFHdzdjPlAQfp5rkiETYpCMZwgsmdseJ4CoZaosPHLjPumFE/Ua2WAQQljnunsM9TONM9L6KxrO9t5IISD1XtJb0bq1lVI/e72k3mnPd/q77qzhTDmwN4TSNJZN8sxzUJx9HNSMRRoEIHSDLTIJUK+Up8IeCx0B7CiOzG5w/cHyZ3AM5V8lkqBaTDK46AwTkTVGJf59QxUZArG3FEH5vy9HzDmy0tGG+053/x4RqkhqMg5/ClDm+lpZqWwIDAQAB";
    static final String DKIM_2_KEY_START = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqxEKIg2c48ecfmy";

    static MailboxEventsFixture events;

    @Inject
    AuthoritativeServer server;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    dev.mailops.dns.zone.ZoneStore store;

    @BeforeAll
    static void producer() {
        events = MailboxEventsFixture.forConsumedTopic();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    /** A tenant whose domain was added and provisioned. */
    record Zone(String tenant, String domain, MailboxEventsFixture.Sent added) {
    }

    static Zone provisioned() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 13);
        String domain = "shop-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        return new Zone(tenant, domain, DnsFixture.provision(events, tenant, domain));
    }

    Message query(String name, int type, boolean tcp) throws Exception {
        return DnsFixture.query(server.port(), name, type, tcp);
    }

    List<String> txt(String name, boolean tcp) throws Exception {
        return query(name, Type.TXT, tcp).getSection(Section.ANSWER).stream()
                .map(r -> ((TXTRecord) r).getStringsAsByteArrays().stream()
                        .map(bytes -> new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                        .collect(java.util.stream.Collectors.joining()))
                .toList();
    }

    long serial(String domain) throws Exception {
        return ((SOARecord) query(domain, Type.SOA, false).getSection(Section.ANSWER).get(0)).getSerial();
    }

    @Test
    void recordSetsReadInBatchesAreThoseReadZoneByZone() {
        List<String> domains = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            domains.add(provisioned().domain());
        }
        domains.add(2, "never-added-" + UUID.randomUUID().toString().substring(0, 8) + ".de");
        java.util.Map<String, List<Long>> batched = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<Long>> oneByOne = new java.util.LinkedHashMap<>();

        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            store.forEachRecordSet(domains, 2, (domain, records) -> batched.put(domain, ids(records)));
            domains.forEach(domain -> oneByOne.put(domain, ids(store.records(domain))));
        });

        assertThat(batched).containsExactlyEntriesOf(oneByOne);
        assertThat(batched.get(domains.get(2))).isEmpty();
        assertThat(batched.get(domains.get(0))).isNotEmpty();
    }

    private static List<Long> ids(List<dev.mailops.dns.zone.DnsRecord> records) {
        return records.stream().map(record -> record.id).toList();
    }

    @Test
    void aNewDomainIsServedWithTheProvidersMailRecordsOverUdpAndTcp() throws Exception {
        Zone zone = provisioned();
        await().atMost(WAIT).until(() -> !txt("mbo0001._domainkey." + zone.domain(), false).isEmpty());
        for (boolean tcp : List.of(false, true)) {
            assertThat(txt("mbo0001._domainkey." + zone.domain(), tcp)).containsExactly(DKIM_1);
            assertThat(txt("mbo0002._domainkey." + zone.domain(), tcp)).singleElement().asString()
                    .startsWith(DKIM_2_KEY_START).endsWith("IDAQAB");
            assertThat(txt(zone.domain(), tcp)).containsExactly("v=spf1 include:mailbox.org ~all");
            assertThat(txt("_dmarc." + zone.domain(), tcp)).containsExactly("v=DMARC1; p=none");
            Message mx = query(zone.domain(), Type.MX, tcp);
            assertThat(mx.getHeader().getFlag(org.xbill.DNS.Flags.AA)).isTrue();
            assertThat(mx.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                    .containsExactlyInAnyOrder("10 mxext1.mailbox.org.", "10 mxext2.mailbox.org.", "20 mxext3.mailbox.org.");
            assertThat(query("_imaps._tcp." + zone.domain(), Type.SRV, tcp).getSection(Section.ANSWER))
                    .extracting(Record::rdataToString).containsExactly("0 1 993 mailbox.org.");
            assertThat(query("_submission._tcp." + zone.domain(), Type.SRV, tcp).getSection(Section.ANSWER))
                    .extracting(Record::rdataToString).containsExactly("0 1 587 mailbox.org.");

            Message nxdomain = query("nothing-here." + zone.domain(), Type.A, tcp);
            assertThat(nxdomain.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(nxdomain.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
            Message nodata = query(zone.domain(), Type.AAAA, tcp);
            assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
            assertThat(nodata.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
            Message emptyNonTerminal = query("_domainkey." + zone.domain(), Type.TXT, tcp);
            assertThat(emptyNonTerminal.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(query("not-ours.example", Type.A, tcp).getRcode()).isEqualTo(Rcode.REFUSED);
        }
    }

    @Test
    void theDomainAssistantAddsTheTenantsRecordsAndKeepsOneSpfRecord() throws Exception {
        Zone zone = provisioned();
        String records = "/api/v1/domains/" + zone.domain() + "/records";
        long serial = serial(zone.domain());

        as(zone.tenant(), "admin").body(Map.of("source", "", "type", "TXT",
                "value", "v=spf1 include:_spf.shopsystem.example ip4:192.0.2.0/24 -all"))
                .post(records).then().statusCode(201).body("source", equalTo("@")).body("managedBy", equalTo("TENANT"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(txt(zone.domain(), false)).containsExactly(
                "v=spf1 include:mailbox.org include:_spf.shopsystem.example ip4:192.0.2.0/24 -all"));
        assertThat(serial(zone.domain())).isGreaterThan(serial);
        // a zone's records are numbered one after the other (V7), not in Hibernate's blocks of 50
        List<Integer> providers = as(zone.tenant(), "user").get(records).jsonPath()
                .getList("records.findAll { it.managedBy == 'PROVIDER' }.id", Integer.class);
        assertThat(java.util.Collections.max(providers) - java.util.Collections.min(providers))
                .isEqualTo(providers.size() - 1);
        as(zone.tenant(), "admin").body(Map.of("type", "TXT", "value", "v=spf1 a -all")).post(records)
                .then().statusCode(409).body("type", equalTo("/problems/spf-exists"));

        as(zone.tenant(), "admin").body(Map.of("source", "www", "type", "A", "value", "192.0.2.10", "ttl", 300))
                .post(records).then().statusCode(201).body("fqdn", equalTo("www." + zone.domain() + "."));
        await().atMost(WAIT).untilAsserted(() -> assertThat(query("www." + zone.domain(), Type.A, true)
                .getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.10"));

        as(zone.tenant(), "admin").body(Map.of("source", "www", "type", "A", "value", "not-an-ip"))
                .post(records).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("value"));
        as(zone.tenant(), "admin").body(Map.of("source", "x", "type", "NAPTR", "value", "1"))
                .post(records).then().statusCode(400).body("errors.field", hasItem("type"));
        as(zone.tenant(), "admin").body(Map.of("source", "bad..name", "type", "A", "value", "192.0.2.1"))
                .post(records).then().statusCode(400).body("errors.field", hasItem("source"));
        as(zone.tenant(), "admin").body(Map.of("source", "@", "type", "CNAME", "value", "elsewhere.example."))
                .post(records).then().statusCode(400);
        as(zone.tenant(), "admin").body(Map.of("source", "www", "type", "CNAME", "value", "elsewhere.example."))
                .post(records).then().statusCode(409).body("type", equalTo("/problems/cname-conflict"));
        as(zone.tenant(), "user").body(Map.of("source", "y", "type", "A", "value", "192.0.2.1"))
                .post(records).then().statusCode(403);

        String literal = "ä".repeat(200) + " back\\slash \"quoted\" ;";
        as(zone.tenant(), "admin").body(Map.of("source", "note", "type", "TXT", "value", literal))
                .post(records).then().statusCode(201);
        await().atMost(WAIT).untilAsserted(() -> assertThat(txt("note." + zone.domain(), true)).containsExactly(literal));

        var list = as(zone.tenant(), "user").get(records).then().statusCode(200).extract().jsonPath();
        long www = list.getLong("records.find { it.source == 'www' }.id");
        long providerMx = list.getLong("records.find { it.type == 'MX' }.id");
        as(zone.tenant(), "admin").delete(records + "/" + providerMx).then().statusCode(409)
                .body("type", equalTo("/problems/provider-record"));
        as(zone.tenant(), "admin").delete(records + "/" + www).then().statusCode(204);
        await().atMost(WAIT).untilAsserted(() -> assertThat(query("www." + zone.domain(), Type.A, false).getRcode())
                .isEqualTo(Rcode.NXDOMAIN));
    }

    @Test
    void anSpfRecordOverTenLookupsOrWithBadSyntaxIsRefused() {
        Zone zone = provisioned();
        String records = "/api/v1/domains/" + zone.domain() + "/records";
        StringBuilder tooMany = new StringBuilder("v=spf1");
        for (int i = 0; i < 10; i++) {
            tooMany.append(" include:s").append(i).append(".example");
        }
        as(zone.tenant(), "admin").body(Map.of("type", "TXT", "value", tooMany + " -all")).post(records)
                .then().statusCode(400).body("errors[0].message", containsString("11 DNS lookups"));
        as(zone.tenant(), "admin").body(Map.of("type", "TXT", "value", "v=spf1 include -all")).post(records)
                .then().statusCode(400).body("errors[0].field", equalTo("value"));
    }

    @Test
    void oneTenantNeverSeesOrChangesAnothersZone() {
        Zone zone = provisioned();
        String other = "t-" + UUID.randomUUID().toString().substring(0, 13);
        String base = "/api/v1/domains/" + zone.domain();
        as(other, "admin").get(base + "/records").then().statusCode(404);
        as(other, "admin").get(base + "/zone").then().statusCode(404);
        as(other, "admin").get(base + "/check").then().statusCode(404);
        as(other, "admin").get(base + "/client-settings").then().statusCode(404);
        as(other, "admin").body(Map.of("source", "x", "type", "A", "value", "192.0.2.1")).post(base + "/records")
                .then().statusCode(404);
        as(other, "admin").delete(base + "/records/1").then().statusCode(404);
        given().get(base + "/records").then().statusCode(401);
    }

    @Test
    void controlCharactersInARecordAreRefusedNotStored() {
        // found by the fuzz run (bench): a NUL reached PostgreSQL and came back as a 500
        Zone zone = provisioned();
        String base = "/api/v1/domains/" + zone.domain() + "/records";
        as(zone.tenant(), "admin").body(Map.of("source", "nul", "type", "TXT", "value", "\"a\u0000b\""))
                .post(base).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("value"));
        as(zone.tenant(), "admin").body(Map.of("source", "a\u0000b", "type", "TXT", "value", "\"ok\""))
                .post(base).then().statusCode(400).body("errors.field", org.hamcrest.Matchers.contains("source"));
        as(zone.tenant(), "admin").body(Map.of("source", "neg", "type", "TXT", "value", "\"ok\"", "ttl", -1846242961))
                .post(base).then().statusCode(400).body("errors.field", org.hamcrest.Matchers.contains("ttl"));
    }

    @Test
    void theZoneFileCheckAndClientSettingsDescribeTheDomain() {
        Zone zone = provisioned();
        String base = "/api/v1/domains/" + zone.domain();
        String file = as(zone.tenant(), "user").get(base + "/zone").then().statusCode(200)
                .contentType(containsString("text/plain")).extract().asString();
        assertThat(file).startsWith("$ORIGIN " + zone.domain() + ".\n$TTL 3600\n")
                .contains("IN\tSOA\tns1.mailops.local. hostmaster.mailops.local.")
                .contains("mbo0001._domainkey." + zone.domain() + ".\t3600\tIN\tTXT\t\"v=DKIM1; k=rsa; p=MIIB")
                .contains("\" \""); // the 2048-bit key is split into character-strings of at most 255 bytes
        await().atMost(WAIT).untilAsserted(() -> as(zone.tenant(), "user").get(base + "/check").then().statusCode(200)
                .body("status", everyItem(equalTo("OK")))
                .body("find { it.name == 'mbo0001._domainkey." + zone.domain() + ".' }.type", equalTo("TXT")));
        as(zone.tenant(), "user").get(base + "/client-settings").then().statusCode(200)
                .body("server", equalTo("mail." + zone.domain()))
                .body("tables.ssl.port", contains(993, 995, 587))
                .body("tables.starttls.port", contains(143, 110, 25))
                .body("tables.unencrypted.port", contains(143, 110, 25))
                .body("tables.ssl.serverType", contains("IMAP", "POP3", "SMTP"))
                .body("tables.starttls.connectionSecurity", everyItem(equalTo("STARTTLS")));
    }

    @Test
    void mailClientsConfigureThemselves() {
        Zone zone = provisioned();
        String address = "anna@" + zone.domain();
        String mozilla = given().queryParam("emailaddress", address).get("/mail/config-v1.1.xml")
                .then().statusCode(200).contentType(containsString("xml")).extract().asString();
        assertThat(mozilla).contains("<clientConfig version=\"1.1\">", "<hostname>mail." + zone.domain() + "</hostname>",
                "<port>993</port>", "<socketType>SSL</socketType>", "<outgoingServer type=\"smtp\">");
        given().queryParam("emailaddress", address).get("/.well-known/autoconfig/mail/config-v1.1.xml")
                .then().statusCode(200);
        given().queryParam("emailaddress", "anna@unknown-domain.example").get("/mail/config-v1.1.xml")
                .then().statusCode(404);
        String request = """
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                  <Request><EMailAddress>%s</EMailAddress>
                  <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
                  </Request>
                </Autodiscover>""".formatted(address);
        String outlook = given().contentType("text/xml").body(request).post("/autodiscover/autodiscover.xml")
                .then().statusCode(200).extract().asString();
        assertThat(outlook).contains("<Type>IMAP</Type>", "<Server>mail." + zone.domain() + "</Server>",
                "<Port>993</Port>", "<LoginName>" + address + "</LoginName>", "<Type>SMTP</Type>", "<Port>587</Port>");
        given().contentType("text/xml").body("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")
                .post("/autodiscover/autodiscover.xml").then().statusCode(400);
    }

    @Test
    void redeliveriesChangeNothingPoisonIsDeadLetteredAndChangesAreAnnounced() throws Exception {
        String topic = ConfigProvider.getConfig().getValue("mp.messaging.outgoing.dns-events.topic", String.class);
        String dlq = ConfigProvider.getConfig()
                .getValue("mp.messaging.incoming.mailbox-events.dead-letter-queue.topic", String.class);
        try (TopicProbe announced = TopicProbe.open(topic); TopicProbe deadLetters = TopicProbe.open(dlq)) {
            Zone zone = provisioned();
            ConsumerRecord<String, String> first = announced.await(TopicProbe.keyed(zone.tenant()), 1, WAIT).get(0);
            assertThat(TopicProbe.header(first, "ce_type")).isEqualTo("DnsRecordsChanged");
            assertThat(TopicProbe.header(first, "ce_subject")).isEqualTo(zone.domain());
            var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Files.readString(
                    LocalInfrastructure.repositoryRoot().resolve("contract/dns-events/DnsRecordsChanged.v1.schema.json")));
            assertThat(schema.validate(new ObjectMapper().readTree(first.value()))).isEmpty();
            assertThat(new ObjectMapper().readTree(first.value()).get("records")).hasSize(13);

            long serial = serial(zone.domain());
            events.resend(zone.added());
            events.send(zone.tenant(), "DomainAdded", zone.domain(), Instant.now(), "{\"domain\": 42}");
            var marker = provisioned(); // consumed after the redelivery and the poison
            assertThat(marker).isNotNull();
            assertThat(serial(zone.domain())).isEqualTo(serial);
            assertThat(deadLetters.await(TopicProbe.keyed(zone.tenant()), 1, WAIT).get(0).value()).isEqualTo("{\"domain\": 42}");
            // An empty outbox means every announcement was acknowledged: nothing more can arrive.
            await().atMost(WAIT).until(() -> unannounced() == 0);
            assertThat(announced.readToEnd(TopicProbe.keyed(zone.tenant()))).hasSize(1);
        }
    }

    @Test
    void theProviderProfileIgnoresTheDomainsOwnDkimKeysAndKeepsTheProvidersFixedOnes() throws Exception {
        Zone zone = provisioned();
        await().atMost(WAIT).until(() -> !txt("mbo0001._domainkey." + zone.domain(), false).isEmpty());
        long serial = serial(zone.domain());
        UUID keyId = UUID.randomUUID();
        events.send(zone.tenant(), "DkimKeyGenerated", zone.domain(), Instant.now(), new ObjectMapper()
                .writeValueAsString(Map.of("domain", zone.domain(), "selector", "mbo0001", "keyId", keyId.toString(),
                        "algorithm", "rsa-sha256", "publicKey", "MIIBOwn", "record", "v=DKIM1; k=rsa; p=MIIBOwn")));
        events.send(zone.tenant(), "DkimKeyRetired", zone.domain(), Instant.now(), new ObjectMapper()
                .writeValueAsString(Map.of("domain", zone.domain(), "selector", "mbo0002", "keyId", keyId.toString())));
        DnsFixture.provision(events, zone.tenant(), "marker-" + UUID.randomUUID().toString().substring(0, 8) + ".de");

        assertThat(serial(zone.domain())).isEqualTo(serial);
        for (boolean tcp : List.of(false, true)) {
            assertThat(txt("mbo0001._domainkey." + zone.domain(), tcp)).containsExactly(DKIM_1);
            assertThat(txt("mbo0002._domainkey." + zone.domain(), tcp)).singleElement().asString()
                    .startsWith(DKIM_2_KEY_START);
        }
    }

    @Test
    void aReplayRebuildsTheSameRecordsAndKeepsTheTenantsOwn() {
        Zone zone = provisioned();
        String records = "/api/v1/domains/" + zone.domain() + "/records";
        as(zone.tenant(), "admin").body(Map.of("source", "shop", "type", "CNAME", "value", "shops.example.net."))
                .post(records).then().statusCode(201);
        var before = as(zone.tenant(), "user").get(records).jsonPath();
        as("ops", "operator").post("/api/v1/operations/replay").then().statusCode(200);
        var after = as(zone.tenant(), "user").get(records).jsonPath();
        assertThat(after.getList("records", Map.class)).extracting(r -> r.get("source") + " " + r.get("type") + " "
                + r.get("value") + " " + r.get("managedBy"))
                .containsExactlyInAnyOrderElementsOf(before.getList("records", Map.class).stream()
                        .map(r -> r.get("source") + " " + r.get("type") + " " + r.get("value") + " " + r.get("managedBy"))
                        .toList());
        assertThat(after.getLong("serial")).isGreaterThan(before.getLong("serial"));
        as(zone.tenant(), "admin").post("/api/v1/operations/replay").then().statusCode(403);
    }

    private long unannounced() throws java.sql.SQLException {
        try (var connection = dataSource.getConnection();
             var statement = connection.createStatement();
             var rows = statement.executeQuery("select count(*) from outbox")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
