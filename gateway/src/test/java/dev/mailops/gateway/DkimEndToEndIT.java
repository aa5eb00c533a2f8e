package dev.mailops.gateway;

import static dev.mailops.gateway.GatewayIT.PASSWORD;
import static dev.mailops.gateway.GatewayIT.bearer;
import static dev.mailops.gateway.GatewayIT.login;
import static dev.mailops.gateway.GatewayIT.mailbox;
import static dev.mailops.testinfra.MailClient.Access.IMAPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.testinfra.DkimVerifier;
import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.MailClient;
import dev.mailops.testinfra.TopicProbe;

/**
 * The deployment's own DKIM keys, end to end: a domain added through the gateway gets its keys, mail
 * submitted over the submission port comes back over IMAP signed, and the signature verifies with an
 * independent verifier (Debian's python3-dkim, {@link DkimVerifier}) against the key that dns-service's
 * own DNS server serves. Then a rotation through the API: the next mail is signed with the second
 * selector, and the mail signed before the switch still verifies. The private keys are on no topic but
 * their own restricted one, sealed, and in no log.
 *
 * <p>Its services run with DKIM on ({@link DkimProfile}), apart from the other tests' set, which keeps the
 * mail provider's profile without DKIM events.
 */
@QuarkusTest
@TestProfile(DkimProfile.class)
class DkimEndToEndIT {

    /** mailbox-service's default selectors, the manual's pattern. */
    static final String SELECTOR_1 = "mbo0001";
    static final String SELECTOR_2 = "mbo0002";
    /** Key generation, the DNS check every second, the event to mailhost-service and its key file: room for a slow CI. */
    static final Duration KEYS_WAIT = Duration.ofSeconds(90);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();


    MailClient client;
    DkimVerifier verifier;
    String tenant;
    String token;
    String domain;

    @BeforeEach
    void tenantOfItsOwn() {
        client = RunningServices.mailHost.client();
        verifier = DkimVerifier.askingServerAt("127.0.0.1", RunningServices.dnsPort);
        tenant = "dk-" + UUID.randomUUID().toString().substring(0, 8);
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        token = login(tenant + "-admin", PASSWORD);
        domain = tenant + ".example";
    }

    @Test
    void submittedMailVerifiesWithTheActiveSelectorBeforeAndAfterARotation() throws Exception {
        Onboarding.provenDomain(token, domain);
        String anna = createMailbox("anna");
        keysSoon().until(() -> SELECTOR_1.equals(activeSelector()));
        soon().until(() -> client.canLogIn(IMAPS, anna, PASSWORD));

        // the signer learns the key from mailhost-service a moment after the activation: send until a mail is signed
        List<byte[]> beforeRotation = new ArrayList<>();
        keysSoon().until(() -> signatureCount(sendAndReadBack(anna, "before rotation " + beforeRotation.size(), beforeRotation)) > 0);
        byte[] signedWithSelector1 = beforeRotation.get(beforeRotation.size() - 1);
        DkimVerifier.Result first = verifier.verify(signedWithSelector1);
        assertThat(first.valid()).as(first.toString()).isTrue();
        assertThat(first.signature().selector()).isEqualTo(SELECTOR_1);
        assertThat(first.signature().domain()).isEqualTo(domain);

        keysSoon().until(() -> "published".equals(state(SELECTOR_2)));
        JsonPath rotated = bearer(token).post("/api/v1/domains/" + domain + "/dkim/rotate").then().statusCode(200)
                .extract().jsonPath();
        assertThat(rotated.getString("selectors.find { it.state == 'active' }.selector")).isEqualTo(SELECTOR_2);

        // Send until the signer has switched; every mail on the way verifies with the selector it names.
        List<byte[]> afterRotation = new ArrayList<>();
        keysSoon().until(() -> {
            byte[] raw = sendAndReadBack(anna, "after rotation " + afterRotation.size(), afterRotation);
            DkimVerifier.Result result = verifier.verify(raw);
            assertThat(result.valid()).as("signed with a key DNS serves: " + result).isTrue();
            return SELECTOR_2.equals(result.signature().selector());
        });
        DkimVerifier.Result second = verifier.verify(afterRotation.get(afterRotation.size() - 1));
        assertThat(second.valid()).as(second.toString()).isTrue();
        assertThat(second.signature().selector()).isEqualTo(SELECTOR_2);
        assertThat(second.signature().domain()).isEqualTo(domain);

        byte[] lastBeforeSwitch = afterRotation.size() > 1 ? afterRotation.get(afterRotation.size() - 2) : signedWithSelector1;
        for (byte[] signedBefore : List.of(signedWithSelector1, lastBeforeSwitch)) {
            DkimVerifier.Result still = verifier.verify(signedBefore);
            assertThat(still.valid()).as("signed before the switch, its key still published: " + still).isTrue();
            assertThat(still.signature().selector()).isEqualTo(SELECTOR_1);
        }
        assertThat(state(SELECTOR_1)).as("the old key stays published until it retires").isEqualTo("retiring");
    }

    @Test
    void thePrivateKeysAreSealedOnTheirOwnTopicAndOnNoOtherTopicNorInAnyLog() throws Exception {
        try (TopicProbe credentials = TopicProbe.open(RunningServices.credentialsTopic);
                TopicProbe events = TopicProbe.open(RunningServices.eventsTopic);
                TopicProbe billing = TopicProbe.open(RunningServices.billingTopic);
                TopicProbe dns = TopicProbe.open(RunningServices.dnsTopic)) {
            Onboarding.provenDomain(token, domain);
            String bob = createMailbox("bob");
            keysSoon().until(() -> SELECTOR_1.equals(activeSelector()));
            soon().until(() -> client.canLogIn(IMAPS, bob, PASSWORD));
            // a signed mail: mailhost-service has opened the key and OpenDKIM has used it
            List<byte[]> sent = new ArrayList<>();
            keysSoon().until(() -> signatureCount(sendAndReadBack(bob, "signed " + sent.size(), sent)) > 0);

            JsonPath keys = dkim();
            KeyEncryption keyEncryption = KeyEncryption.fromFile(RunningServices.keyEncryptionKeyFile);
            List<String> secrets = new ArrayList<>();
            for (String selector : List.of(SELECTOR_1, SELECTOR_2)) {
                String keyId = keys.getString("selectors.find { it.selector == '" + selector + "' }.keyId");
                ConsumerRecord<String, String> sealed = credentials.await(TopicProbe.keyed("dkim:" + keyId), 1, WAIT).get(0);
                assertThat(TopicProbe.header(sealed, "ce_type")).isEqualTo("DkimPrivateKey");
                JsonNode value = JSON.readTree(sealed.value());
                assertThat(value.get("selector").asText()).isEqualTo(selector);
                String sealedKey = value.get("sealedPrivateKey").asText();
                byte[] privateKey = keyEncryption.open(sealedKey, keyId);
                String clear = Base64.getEncoder().encodeToString(privateKey);
                assertThat(sealed.value()).as("sealed on its own topic").doesNotContain(clear).doesNotContain(pemLine(clear));
                secrets.addAll(List.of(clear, pemLine(clear), sealedKey));
            }

            List<ConsumerRecord<String, String>> elsewhere = new ArrayList<>();
            for (TopicProbe other : List.of(events, billing, dns)) {
                elsewhere.addAll(other.readToEnd(record -> true));
            }
            assertThat(elsewhere).as("this run's other topics").isNotEmpty();
            for (ConsumerRecord<String, String> record : elsewhere) {
                for (String secret : secrets) {
                    assertThat(String.valueOf(record.value())).as(record.topic() + " " + record.key()).doesNotContain(secret);
                }
            }
            String answer = bearer(token).get("/api/v1/domains/" + domain + "/dkim").then().statusCode(200).extract().asString();
            List<Path> logs = logs();
            assertThat(logs).as("the services' and the mail host's logs").isNotEmpty();
            for (String secret : secrets) {
                assertThat(answer).as("GET .../dkim").doesNotContain(secret);
                for (Path log : logs) {
                    assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as(log.toString()).doesNotContain(secret);
                }
            }
        }
    }

    /** A 64-character line from inside the key's PEM form, as a key file or a careless log line would have it. */
    private static String pemLine(String base64) {
        return base64.length() >= 128 ? base64.substring(64, 128) : base64;
    }

    /** The four services' process logs (beside their jars) and everything the mail host logs (Postfix, Dovecot, OpenDKIM). */
    private static List<Path> logs() throws IOException {
        Path root = LocalInfrastructure.repositoryRoot();
        List<Path> logs = new ArrayList<>();
        for (String module : RunningServices.MODULES) {
            try (Stream<Path> files = Files.list(root.resolve(module).resolve("target"))) {
                files.filter(file -> file.getFileName().toString().endsWith(".log")).forEach(logs::add);
            }
        }
        Path mailHostLogs = RunningServices.mailHost.mailRoot().resolveSibling("log");
        if (Files.isDirectory(mailHostLogs)) {
            try (Stream<Path> files = Files.walk(mailHostLogs)) {
                files.filter(Files::isRegularFile).forEach(logs::add);
            }
        }
        return logs;
    }

    /** Submits a mail from {@code user} to itself over submission, and reads it back raw over IMAPS (added to {@code sent}). */
    private byte[] sendAndReadBack(String user, String subject, List<byte[]> sent) throws MessagingException {
        assertThat(client.submit(user, PASSWORD, user, user, subject).accepted()).as("submitted").isTrue();
        byte[][] raw = new byte[1][];
        soon().until(() -> (raw[0] = rawMessage(user, subject)) != null);
        sent.add(raw[0]);
        return raw[0];
    }

    /** The message with this subject as the IMAP server holds it, byte for byte; null until it is there. */
    private byte[] rawMessage(String user, String subject) throws MessagingException, IOException {
        try (Store store = client.login(IMAPS, user, PASSWORD); Folder inbox = store.getFolder("INBOX")) {
            inbox.open(Folder.READ_ONLY);
            for (Message message : inbox.getMessages()) {
                if (subject.equals(message.getSubject())) {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    message.writeTo(raw);
                    return raw.toByteArray();
                }
            }
            return null;
        }
    }

    private int signatureCount(byte[] raw) {
        return verifier.verify(raw).signatures().size();
    }

    private String createMailbox(String localPart) {
        bearer(token).body(mailbox(localPart, domain, tenant + "-admin")).post("/api/v1/mailboxes").then().statusCode(201);
        return localPart + "@" + domain;
    }

    private JsonPath dkim() {
        return bearer(token).get("/api/v1/domains/" + domain + "/dkim").then().statusCode(200).extract().jsonPath();
    }

    /** The active selector; null while there is none, or while mailbox-service does not answer for the domain yet. */
    private String activeSelector() {
        JsonPath keys = dkimOnceKnown();
        return keys == null ? null : keys.getString("selectors.find { it.state == 'active' }.selector");
    }

    private String state(String selector) {
        JsonPath keys = dkimOnceKnown();
        return keys == null ? null : keys.getString("selectors.find { it.selector == '" + selector + "' }.state");
    }

    /** GET .../dkim while waiting: null unless it answers 200. */
    private JsonPath dkimOnceKnown() {
        Response answer = bearer(token).get("/api/v1/domains/" + domain + "/dkim");
        return answer.statusCode() == 200 ? answer.jsonPath() : null;
    }

    private static ConditionFactory soon() {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200));
    }

    private static ConditionFactory keysSoon() {
        return await().atMost(KEYS_WAIT).pollInterval(Duration.ofMillis(500));
    }
}
