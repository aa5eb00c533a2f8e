package dev.mailops.mailbox.dkim;

import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;
import static dev.mailops.mailbox.Api.user;
import static dev.mailops.testinfra.TopicProbe.header;
import static dev.mailops.testinfra.TopicProbe.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.mailbox.Api;
import dev.mailops.mailbox.CredentialsTopic;
import dev.mailops.mailbox.messaging.CapturedLogs;
import dev.mailops.mailbox.messaging.ContractSchemas;
import dev.mailops.mailbox.time.TestClock;
import dev.mailops.testinfra.TopicProbe;

/**
 * The DKIM key lifecycle against real DNS traffic: two authoritative test servers answer over UDP
 * and TCP with what the test serves, and a key counts as published only when both serve exactly it.
 */
@QuarkusTest
@TestProfile(DkimEnabled.class)
class DkimLifecycleTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration HOLD = Duration.ofHours(1).plusDays(5);
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<TestDnsServer> DNS = DkimEnabled.servers();

    @Inject
    TestClock clock;
    @Inject
    Database database;

    @Test
    void aNewDomainsKeysArePublishedAndSignOnlyOnceEveryServerServesExactlyThem() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        try (TopicProbe events = TopicProbe.open(Api.EVENTS_TOPIC)) {
            registerDomain(tenant, domain);
            JsonPath generated = awaitDkim(tenant, domain, keys -> keys.getList("selectors").size() == 2);
            assertThat(generated.getString("algorithm")).isEqualTo("rsa-sha256");
            assertThat(generated.getBoolean("enabled")).isTrue();
            assertThat(generated.getList("selectors.state")).containsExactly("generated", "generated");
            assertThat(generated.getList("selectors.dnsName")).containsExactly("mbo0001._domainkey." + domain,
                    "mbo0002._domainkey." + domain);
            String record1 = record(generated, "mbo0001");
            assertThat(record1).startsWith("v=DKIM1; k=rsa; p=MII");

            String name1 = "mbo0001._domainkey." + domain;
            String wrong = record1.substring(0, record1.length() - 12) + "AAAAAAAAAAA=";
            DNS.forEach(server -> server.serve(name1, wrong));
            awaitQueries(name1, DNS.subList(0, 1));
            assertThat(state(tenant, domain, "mbo0001")).as("a wrong p= does not count").isEqualTo("generated");

            DNS.get(0).serve(name1, record1);
            awaitQueries(name1, DNS.subList(1, 2));
            assertThat(state(tenant, domain, "mbo0001")).as("one server of two is not every server")
                    .isEqualTo("generated");

            DNS.get(1).serve(name1, record1);
            JsonPath active = awaitDkim(tenant, domain, keys -> "active".equals(stateOf(keys, "mbo0001")));
            assertThat(stateOf(active, "mbo0002")).isEqualTo("generated");
            assertThat(DNS.get(1).tcpQueries()).as("the second server truncates the key's UDP answer, so TCP is used")
                    .isPositive();
            assertThat(DNS.get(0).tcpQueries()).as("the first answers over UDP").isZero();

            serve(domain, "mbo0002", record(active, "mbo0002"));
            awaitDkim(tenant, domain, keys -> "published".equals(stateOf(keys, "mbo0002")));

            List<ConsumerRecord<String, String>> published = events.await(keyed(tenant), 6, WAIT);
            assertThat(published).extracting(r -> header(r, "ce_type")).containsExactly("DomainAdded",
                    "DkimKeyGenerated", "DkimKeyGenerated", "DkimKeyPublished", "DkimSelectorActivated",
                    "DkimKeyPublished");
            for (ConsumerRecord<String, String> record : published) {
                assertThat(header(record, "ce_subject")).isEqualTo(domain);
                assertThat(header(record, "ce_aggregatetype")).isEqualTo("MailDomain");
                assertThat(ContractSchemas.validate(header(record, "ce_type"), 1, record.value()))
                        .as("%s against its schema", record.value()).isEmpty();
            }
            JsonNode activation = JSON.readTree(published.get(4).value());
            assertThat(activation.get("selector").asText()).isEqualTo("mbo0001");
            assertThat(activation.get("previousSelector").isNull()).isTrue();
            assertThat(JSON.readTree(published.get(1).value()).get("record").asText()).isEqualTo(record1);
        }
    }

    @Test
    void aRotationSwitchesToTheServedStandbyOnlyAndHoldsTheOldKey() {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        JsonPath generated = awaitDkim(tenant, domain, keys -> keys.getList("selectors").size() == 2);
        serve(domain, "mbo0001", record(generated, "mbo0001"));
        awaitDkim(tenant, domain, keys -> "active".equals(stateOf(keys, "mbo0001")));

        Response notReady = admin(tenant).post("/api/v1/domains/" + domain + "/dkim/rotate");
        notReady.then().statusCode(409).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/dkim-rotation-not-ready"))
                .body("selector", org.hamcrest.Matchers.equalTo("mbo0002"));
        assertThat(notReady.jsonPath().getLong("retryAfter")).isPositive();
        assertThat(notReady.header("Retry-After")).isEqualTo(notReady.jsonPath().getString("retryAfter"));

        serve(domain, "mbo0002", record(generated, "mbo0002"));
        awaitDkim(tenant, domain, keys -> "published".equals(stateOf(keys, "mbo0002")));
        serve(domain, "mbo0002");
        admin(tenant).post("/api/v1/domains/" + domain + "/dkim/rotate").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("not served by every DNS server"));
        serve(domain, "mbo0002", record(generated, "mbo0002"));

        user(tenant).post("/api/v1/domains/" + domain + "/dkim/rotate").then().statusCode(403);
        String stranger = newTenant();
        admin(stranger).post("/api/v1/domains/" + domain + "/dkim/rotate").then().statusCode(404);
        admin(stranger).get("/api/v1/domains/" + domain + "/dkim").then().statusCode(404);

        JsonPath rotated = admin(tenant).post("/api/v1/domains/" + domain + "/dkim/rotate").then().statusCode(200)
                .extract().jsonPath();
        assertThat(stateOf(rotated, "mbo0002")).isEqualTo("active");
        assertThat(stateOf(rotated, "mbo0001")).isEqualTo("retiring");
        Instant activatedAt = Instant.parse(field(rotated, "mbo0002", "activatedAt"));
        assertThat(Instant.parse(field(rotated, "mbo0001", "retiresAt"))).isEqualTo(activatedAt.plus(HOLD));

        Response again = admin(tenant).post("/api/v1/domains/" + domain + "/dkim/rotate");
        again.then().statusCode(409).body("type", org.hamcrest.Matchers.equalTo("/problems/dkim-rotation-not-ready"));
        assertThat(again.jsonPath().getLong("retryAfter")).isGreaterThan(HOLD.toSeconds() - 60);
    }

    @Test
    void ofConcurrentRotationsExactlyOneSwitches() throws Exception {
        String domain = publishedDomain();
        String tenant = tenantOf(domain);
        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Callable<Integer> rotate = () -> {
                    start.await();
                    return admin(tenant).post("/api/v1/domains/" + domain + "/dkim/rotate").statusCode();
                };
                answers.add(pool.submit(rotate));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsOnly(200, 409);
            assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(database.count("""
                select count(*) from event_store where stream_type = 'MailDomain' and stream_id = ?
                   and event_type = 'DkimSelectorActivated'""", domain))
                .as("the first activation and one rotation").isEqualTo(2);
    }

    @Test
    void afterItsHoldTheOldKeyIsRetiredTombstonedAndReplacedUnderItsSelector() {
        String domain = publishedDomain();
        String tenant = tenantOf(domain);
        JsonPath before = admin(tenant).post("/api/v1/domains/" + domain + "/dkim/rotate").then().statusCode(200)
                .extract().jsonPath();
        String oldKey = field(before, "mbo0001", "keyId");
        try (TopicProbe credentials = TopicProbe.open(CredentialsTopic.TOPIC)) {
            clock.advance(HOLD.plusMinutes(1));
            JsonPath renewed = awaitDkim(tenant, domain, keys -> !oldKey.equals(field(keys, "mbo0001", "keyId")));
            assertThat(stateOf(renewed, "mbo0001")).isEqualTo("generated");
            assertThat(stateOf(renewed, "mbo0002")).isEqualTo("active");

            ConsumerRecord<String, String> tombstone = credentials.await(keyed("dkim:" + oldKey), 1, WAIT).get(0);
            assertThat(tombstone.value()).isNull();
            assertThat(header(tombstone, "ce_type")).isEqualTo("DkimPrivateKey");
            assertThat(header(tombstone, "ce_subject")).isEqualTo(oldKey);

            String freshKey = field(renewed, "mbo0001", "keyId");
            ConsumerRecord<String, String> sealed = credentials.await(keyed("dkim:" + freshKey), 1, WAIT).get(0);
            assertThat(sealed.value()).isNotNull();

            serve(domain, "mbo0001", record(renewed, "mbo0001"));
            awaitDkim(tenant, domain, keys -> "published".equals(stateOf(keys, "mbo0001")));
            JsonPath back = admin(tenant).post("/api/v1/domains/" + domain + "/dkim/rotate").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(stateOf(back, "mbo0001")).isEqualTo("active");
            assertThat(field(back, "mbo0001", "keyId")).isEqualTo(freshKey);
        }
    }

    @Test
    void theSealedPrivateKeyOpensWithTheKeyEncryptionKeyMatchesItsPublicKeyAndIsNowhereElse() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        List<String> responses = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.start("dev.mailops", "io.smallrye.reactive.messaging", "io.quarkus",
                "org.apache.kafka.clients.producer");
             TopicProbe events = TopicProbe.open(Api.EVENTS_TOPIC);
             TopicProbe credentials = TopicProbe.open(CredentialsTopic.TOPIC)) {
            registerDomain(tenant, domain);
            JsonPath keys = awaitDkim(tenant, domain, found -> found.getList("selectors").size() == 2);
            responses.add(keys.prettify());
            String keyId = field(keys, "mbo0001", "keyId");
            String publicKey = record(keys, "mbo0001").replaceAll(".*p=", "");

            ConsumerRecord<String, String> record = credentials.await(keyed("dkim:" + keyId), 1, WAIT).get(0);
            assertThat(header(record, "ce_type")).isEqualTo("DkimPrivateKey");
            assertThat(header(record, "ce_subject")).isEqualTo(keyId);
            assertThat(header(record, "ce_dataschema"))
                    .isEqualTo("urn:mailops:schema:mailbox-credentials:DkimPrivateKey:v1");
            assertThat(header(record, "ce_tenantid")).isEqualTo(tenant);
            assertThat(ContractSchemas.validate("mailbox-credentials", "DkimPrivateKey", 1, record.value()))
                    .as(record.value()).isEmpty();
            JsonNode value = JSON.readTree(record.value());
            assertThat(value.get("domain").asText()).isEqualTo(domain);
            assertThat(value.get("selector").asText()).isEqualTo("mbo0001");
            assertThat(value.get("encryption").asText()).isEqualTo("A256GCM");

            byte[] pkcs8 = KeyEncryption.fromFile(DkimEnabled.KEY_ENCRYPTION_KEY)
                    .open(value.get("sealedPrivateKey").asText(), keyId);
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            assertThat(privateKey.getModulus().bitLength()).isEqualTo(2048);
            PublicKey derived = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            assertThat(Base64.getEncoder().encodeToString(derived.getEncoded())).isEqualTo(publicKey);
            PublicKey published = KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(privateKey);
            signer.update("From: anna@".getBytes(StandardCharsets.UTF_8));
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(published);
            verifier.update("From: anna@".getBytes(StandardCharsets.UTF_8));
            assertThat(verifier.verify(signature)).isTrue();

            serve(domain, "mbo0001", record(keys, "mbo0001"));
            serve(domain, "mbo0002", record(keys, "mbo0002"));
            responses.add(awaitDkim(tenant, domain, found -> "published".equals(stateOf(found, "mbo0002")))
                    .prettify());
            responses.add(admin(tenant).post("/api/v1/domains/" + domain + "/dkim/rotate").then().statusCode(200)
                    .extract().asString());
            responses.add(admin(tenant).get("/api/v1/domains/" + domain).then().statusCode(200).extract().asString());

            String privateBase64 = Base64.getEncoder().encodeToString(pkcs8);
            List<String> secrets = new ArrayList<>(List.of(privateBase64));
            // A PEM file carries the same base64 in lines of 64 characters: no such line may leak either.
            for (int start = 64; start + 64 <= privateBase64.length(); start += 64 * 4) {
                secrets.add(privateBase64.substring(start, start + 64));
            }
            List<String> onMailboxEvents = new ArrayList<>();
            for (ConsumerRecord<String, String> published1 : events.await(keyed(tenant), 7, WAIT)) {
                onMailboxEvents.add(published1.value());
                published1.headers().forEach(h -> onMailboxEvents.add(new String(h.value(), StandardCharsets.UTF_8)));
            }
            String stored = database.first(
                    "select string_agg(payload::text, ' ') from event_store where stream_id = ?", row -> row.getString(1), domain).orElse(null);
            assertThat(logs.lines()).as("log lines captured while the keys were made and used").isNotEmpty();
            for (String secret : secrets) {
                assertThat(logs.lines()).noneMatch(line -> line.contains(secret));
                assertThat(onMailboxEvents).noneMatch(text -> text != null && text.contains(secret));
                assertThat(responses).noneMatch(text -> text.contains(secret));
                assertThat(stored).doesNotContain(secret);
            }
            assertThat(String.join("\n", onMailboxEvents)).doesNotContain("sealedPrivateKey");
        }
    }

    /** A fresh domain of a fresh tenant whose first selector signs and whose standby is published. */
    private String publishedDomain() {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        JsonPath keys = awaitDkim(tenant, domain, found -> found.getList("selectors").size() == 2);
        serve(domain, "mbo0001", record(keys, "mbo0001"));
        serve(domain, "mbo0002", record(keys, "mbo0002"));
        awaitDkim(tenant, domain, found -> "active".equals(stateOf(found, "mbo0001"))
                && "published".equals(stateOf(found, "mbo0002")));
        TENANTS.put(domain, tenant);
        return domain;
    }

    private static final Map<String, String> TENANTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String tenantOf(String domain) {
        return TENANTS.get(domain);
    }

    private static void serve(String domain, String selector, String... records) {
        DNS.forEach(server -> server.serve(selector + "._domainkey." + domain, records));
    }

    /** Waits until the keeper asked every server for the name a few more times. */
    private static void awaitQueries(String name, List<TestDnsServer> servers) {
        List<Integer> before = servers.stream().map(server -> server.queriesFor(name)).toList();
        await().atMost(WAIT).until(() -> {
            for (int i = 0; i < servers.size(); i++) {
                if (servers.get(i).queriesFor(name) < before.get(i) + 3) {
                    return false;
                }
            }
            return true;
        });
    }

    private static JsonPath awaitDkim(String tenant, String domain, java.util.function.Predicate<JsonPath> until) {
        return await().atMost(WAIT).until(() -> admin(tenant).get("/api/v1/domains/" + domain + "/dkim").then()
                .statusCode(200).extract().jsonPath(), until::test);
    }

    private static String state(String tenant, String domain, String selector) {
        return stateOf(admin(tenant).get("/api/v1/domains/" + domain + "/dkim").then().statusCode(200).extract()
                .jsonPath(), selector);
    }

    private static String stateOf(JsonPath keys, String selector) {
        return field(keys, selector, "state");
    }

    private static String record(JsonPath keys, String selector) {
        return field(keys, selector, "record");
    }

    private static String field(JsonPath keys, String selector, String field) {
        Object value = keys.get("selectors.find { it.selector == '" + selector + "' }." + field);
        return value == null ? null : value.toString();
    }
}
