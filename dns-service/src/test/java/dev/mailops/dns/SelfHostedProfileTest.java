package dev.mailops.dns;

import static dev.mailops.dns.DnsFixture.WAIT;
import static dev.mailops.dns.DnsFixture.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.mailops.dns.server.AuthoritativeServer;
import dev.mailops.testinfra.MailboxEventsFixture;

/**
 * The self-hosted profile, configured as {@code ./mailops up} configures it for the local mail host: every
 * record, the client settings, autoconfig and Autodiscover name that host and its ports, and agree.
 */
@QuarkusTest
@TestProfile(SelfHostedProfileTest.LocalMailHost.class)
class SelfHostedProfileTest {

    static final String MAIL_HOST = "mail.mailops.test";

    /** The local mail host's ports (infra/mailhost.sh): IMAPS, POP3S, SMTPS; IMAP, POP3, submission (STARTTLS). */
    public static class LocalMailHost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("dns.profile", "self-hosted"), Map.entry("dns.self-hosted.mail-host", MAIL_HOST),
                    Map.entry("dns.self-hosted.dmarc-policy", "quarantine"),
                    Map.entry("dns.client.ssl.imap", "10993"), Map.entry("dns.client.ssl.pop3", "10995"),
                    Map.entry("dns.client.ssl.smtp", "10465"), Map.entry("dns.client.starttls.imap", "10143"),
                    Map.entry("dns.client.starttls.pop3", "10110"), Map.entry("dns.client.starttls.smtp", "10587"),
                    Map.entry("dns.client.none.imap", "10143"), Map.entry("dns.client.none.pop3", "10110"),
                    Map.entry("dns.client.none.smtp", "10025"));
        }
    }

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
    }

    static Zone provisioned() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 13);
        String domain = "own-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        DnsFixture.provision(events, tenant, domain);
        return new Zone(tenant, domain);
    }

    Message query(String name, int type, boolean tcp) throws Exception {
        return DnsFixture.query(server.port(), name, type, tcp);
    }

    List<String> answers(String name, int type, boolean tcp) throws Exception {
        return query(name, type, tcp).getSection(Section.ANSWER).stream().map(r -> r instanceof TXTRecord txt
                ? txt.getStringsAsByteArrays().stream().map(b -> new String(b, StandardCharsets.UTF_8))
                        .collect(Collectors.joining())
                : r.rdataToString()).toList();
    }

    @Test
    void theDnsServerPointsTheDomainAtTheMailHostOverUdpAndTcp() throws Exception {
        Zone zone = provisioned();
        String d = zone.domain();
        await().atMost(WAIT).until(() -> !answers(d, Type.MX, false).isEmpty());
        for (boolean tcp : List.of(false, true)) {
            Message mx = query(d, Type.MX, tcp);
            assertThat(mx.getHeader().getFlag(org.xbill.DNS.Flags.AA)).isTrue();
            assertThat(answers(d, Type.MX, tcp)).containsExactly("10 " + MAIL_HOST + ".");
            assertThat(answers(d, Type.TXT, tcp)).containsExactly("v=spf1 a:" + MAIL_HOST + " ~all");
            assertThat(answers("_dmarc." + d, Type.TXT, tcp)).containsExactly("v=DMARC1; p=quarantine");
            assertThat(answers("mail." + d, Type.CNAME, tcp)).containsExactly(MAIL_HOST + ".");
            assertThat(answers("_imaps._tcp." + d, Type.SRV, tcp)).containsExactly("0 1 10993 " + MAIL_HOST + ".");
            assertThat(answers("_imap._tcp." + d, Type.SRV, tcp)).containsExactly("10 1 10143 " + MAIL_HOST + ".");
            assertThat(answers("_pop3s._tcp." + d, Type.SRV, tcp)).containsExactly("20 1 10995 " + MAIL_HOST + ".");
            assertThat(answers("_pop3._tcp." + d, Type.SRV, tcp)).containsExactly("30 1 10110 " + MAIL_HOST + ".");
            assertThat(answers("_submission._tcp." + d, Type.SRV, tcp)).containsExactly("0 1 10587 " + MAIL_HOST + ".");
            assertThat(answers("_submissions._tcp." + d, Type.SRV, tcp)).containsExactly("0 1 10465 " + MAIL_HOST + ".");
        }
    }

    /** The domain's own keys come from DkimKeyGenerated (see DkimKeyRecordsTest); until then there is no key at all. */
    @Test
    void noDkimRecordIsServedBeforeTheDomainsOwnKeysAreGenerated() throws Exception {
        Zone zone = provisioned();
        String d = zone.domain();
        await().atMost(WAIT).until(() -> !answers(d, Type.MX, false).isEmpty());
        assertThat(query("mbo0001._domainkey." + d, Type.TXT, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(query("mbo0002._domainkey." + d, Type.TXT, true).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        // Not even an empty non-terminal: no name below _domainkey exists.
        assertThat(query("_domainkey." + d, Type.TXT, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        var records = as(zone.tenant(), "user").get("/api/v1/domains/" + d + "/records").then().statusCode(200)
                .extract().jsonPath().getList("records", Map.class);
        assertThat(records).hasSize(10).noneMatch(r -> String.valueOf(r.get("source")).contains("_domainkey")
                || String.valueOf(r.get("value")).startsWith("v=DKIM1"));
        assertThat(as(zone.tenant(), "user").get("/api/v1/domains/" + d + "/zone").then().statusCode(200)
                .extract().asString()).doesNotContain("DKIM1").doesNotContain("mailbox.org");
    }

    @Test
    void theClientSettingsAgreeWithTheServiceRecords() throws Exception {
        Zone zone = provisioned();
        String d = zone.domain();
        var settings = as(zone.tenant(), "user").get("/api/v1/domains/" + d + "/client-settings").then()
                .statusCode(200).body("server", equalTo("mail." + d))
                .body("tables.ssl.port", contains(10993, 10995, 10465))
                .body("tables.starttls.port", contains(10143, 10110, 10587))
                .body("tables.unencrypted.port", contains(10143, 10110, 10025))
                .body("tables.ssl.server", everyItem(equalTo("mail." + d))).extract().jsonPath();
        await().atMost(WAIT).until(() -> !answers("_imaps._tcp." + d, Type.SRV, false).isEmpty());
        Map<String, String> srvBySetting = Map.of("ssl IMAP", "_imaps._tcp", "starttls IMAP", "_imap._tcp",
                "ssl POP3", "_pop3s._tcp", "starttls POP3", "_pop3._tcp", "ssl SMTP", "_submissions._tcp",
                "starttls SMTP", "_submission._tcp");
        for (var entry : srvBySetting.entrySet()) {
            String[] key = entry.getKey().split(" ");
            int port = settings.getInt("tables." + key[0] + ".find { it.serverType == '" + key[1] + "' }.port");
            assertThat(answers(entry.getValue() + "." + d, Type.SRV, false)).as(entry.getKey())
                    .singleElement().asString().endsWith(" " + port + " " + MAIL_HOST + ".");
        }
        // The server the clients are told is the mail host, through the CNAME.
        assertThat(answers(settings.getString("server"), Type.CNAME, false)).containsExactly(MAIL_HOST + ".");
        await().atMost(WAIT).untilAsserted(() -> as(zone.tenant(), "user").get("/api/v1/domains/" + d + "/check")
                .then().statusCode(200).body("status", everyItem(equalTo("OK"))));
    }

    @Test
    void autoconfigAndAutodiscoverHandOutTheMailHostsPorts() {
        Zone zone = provisioned();
        String address = "anna@" + zone.domain();
        String server = "<hostname>mail." + zone.domain() + "</hostname>";
        String mozilla = given().queryParam("emailaddress", address).get("/mail/config-v1.1.xml")
                .then().statusCode(200).extract().asString().replaceAll("\\s+", "");
        assertThat(mozilla).contains(
                "<incomingServertype=\"imap\">" + server + "<port>10993</port><socketType>SSL</socketType>",
                "<incomingServertype=\"imap\">" + server + "<port>10143</port><socketType>STARTTLS</socketType>",
                "<incomingServertype=\"pop3\">" + server + "<port>10995</port><socketType>SSL</socketType>",
                "<incomingServertype=\"pop3\">" + server + "<port>10110</port><socketType>STARTTLS</socketType>",
                "<outgoingServertype=\"smtp\">" + server + "<port>10465</port><socketType>SSL</socketType>",
                "<outgoingServertype=\"smtp\">" + server + "<port>10587</port><socketType>STARTTLS</socketType>");
        String request = """
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                  <Request><EMailAddress>%s</EMailAddress></Request>
                </Autodiscover>""".formatted(address);
        String outlook = given().contentType("text/xml").body(request).post("/autodiscover/autodiscover.xml")
                .then().statusCode(200).extract().asString().replaceAll("\\s+", "");
        String host = "<Server>mail." + zone.domain() + "</Server>";
        assertThat(outlook).contains("<Type>IMAP</Type>" + host + "<Port>10993</Port>",
                "<Type>POP3</Type>" + host + "<Port>10995</Port>", "<Type>SMTP</Type>" + host + "<Port>10465</Port>");
    }

    @Test
    void aTenantsSpfIsMergedBehindTheMailHost() throws Exception {
        Zone zone = provisioned();
        as(zone.tenant(), "admin").body(Map.of("type", "TXT", "value", "v=spf1 include:_spf.shop.example -all"))
                .post("/api/v1/domains/" + zone.domain() + "/records").then().statusCode(201);
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers(zone.domain(), Type.TXT, false))
                .containsExactly("v=spf1 a:" + MAIL_HOST + " include:_spf.shop.example -all"));
    }
}
