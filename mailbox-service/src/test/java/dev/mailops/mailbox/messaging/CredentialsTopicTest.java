package dev.mailops.mailbox.messaging;

import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.createMailbox;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;
import static dev.mailops.testinfra.TopicProbe.header;
import static dev.mailops.testinfra.TopicProbe.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.Api;
import dev.mailops.mailbox.CredentialsTopic;
import dev.mailops.mailbox.credentials.Credentials;
import dev.mailops.mailbox.credentials.PasswordHasher;
import dev.mailops.testinfra.TestInfrastructure;
import dev.mailops.testinfra.TopicProbe;

/**
 * mailbox.credentials as mailhost-service receives it: each mailbox's current hash in Dovecot's form,
 * keyed by mailbox id, committed with its event or not at all, a tombstone on deletion; and the hash
 * nowhere else.
 */
@QuarkusTest
class CredentialsTopicTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Pattern DOVECOT_ARGON2ID = Pattern.compile(
            "\\{ARGON2ID}\\$argon2id\\$v=19\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+");
    static final String NEW_PASSWORD = "Battery-Staple-7";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Credentials credentials;
    @Inject
    PasswordHasher hasher;
    @Inject
    Database database;

    @Test
    void theTopicIsCompacted() throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        try (Admin admin = Admin.create(config)) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, CredentialsTopic.TOPIC);
            String policy = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            assertThat(policy).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    @Test
    void aCommittedCredentialReachesTheTopicKeyedByMailboxIdAndARolledBackOneNever() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        try (TopicProbe probe = TopicProbe.open(CredentialsTopic.TOPIC)) {
            String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
            ConsumerRecord<String, String> created = probe.await(keyed(id), 1, WAIT).get(0);

            assertThat(header(created, "ce_type")).isEqualTo("MailboxCredential");
            assertThat(header(created, "ce_dataschema"))
                    .isEqualTo("urn:mailops:schema:mailbox-credentials:MailboxCredential:v1");
            assertThat(header(created, "ce_subject")).isEqualTo(id);
            assertThat(header(created, "ce_source")).isEqualTo("/mailops/mailbox-service");
            assertThat(header(created, "ce_tenantid")).isEqualTo(tenant);
            assertThat(ContractSchemas.validate("mailbox-credentials", "MailboxCredential", 1, created.value()))
                    .as(created.value()).isEmpty();
            JsonNode value = JSON.readTree(created.value());
            assertThat(value.get("mailboxId").asText()).isEqualTo(id);
            assertThat(value.get("address").asText()).isEqualTo("anna@" + domain);
            String hash = value.get("passwordHash").asText();
            assertThat(hash).matches(DOVECOT_ARGON2ID).isEqualTo(storedHash(id));
            assertThat(hasher.verify(Api.PASSWORD, hash)).isTrue();

            String rolledBack = "Rolled-Back-Pass-1";
            String rolledBackHash = hasher.hash(rolledBack);
            assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                credentials.set(UUID.fromString(id), tenant, "anna@" + domain, rolledBackHash, Instant.now(), null);
                throw new IllegalStateException("the command fails after its credential was queued");
            })).hasMessageContaining("fails after");
            assertThat(storedHash(id)).isEqualTo(hash);
            admin(tenant).body(Map.of("password", NEW_PASSWORD, "passwordConfirmation", NEW_PASSWORD))
                    .put("/api/v1/mailboxes/" + id + "/password").then().statusCode(204);

            probe.await(keyed(id), 2, WAIT);
            awaitOutboxEmpty(id);
            List<ConsumerRecord<String, String>> published = probe.readToEnd(keyed(id));
            assertThat(published).hasSize(2);
            assertThat(published).extracting(r -> header(r, "ce_id")).doesNotHaveDuplicates();
            String changed = passwordHash(published.get(1));
            assertThat(changed).matches(DOVECOT_ARGON2ID).isEqualTo(storedHash(id));
            assertThat(hasher.verify(NEW_PASSWORD, changed)).isTrue();
            assertThat(published).noneMatch(r -> hasher.verify(rolledBack, passwordHash(r)));
        }
    }

    @Test
    void aDeletedMailboxLeavesATombstone() {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        try (TopicProbe probe = TopicProbe.open(CredentialsTopic.TOPIC)) {
            String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
            admin(tenant).delete("/api/v1/mailboxes/" + id).then().statusCode(204);

            List<ConsumerRecord<String, String>> records = probe.await(keyed(id), 2, WAIT);

            assertThat(records.get(0).value()).isNotNull();
            ConsumerRecord<String, String> tombstone = records.get(1);
            assertThat(tombstone.key()).isEqualTo(id);
            assertThat(tombstone.value()).isNull();
            assertThat(header(tombstone, "ce_type")).isEqualTo("MailboxCredential");
            assertThat(header(tombstone, "ce_subject")).isEqualTo(id);
            assertThat(records.get(0).partition()).isEqualTo(tombstone.partition());
            assertThat(database.count(
                    "select count(*) from mailbox_credential where mailbox_id = cast(? as uuid)", id)).isZero();
        }
    }

    @Test
    void noHashOrPasswordReachesMailboxEventsALogOrAResponse() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        List<String> responses = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.start("dev.mailops", "io.smallrye.reactive.messaging", "io.quarkus",
                "org.apache.kafka.clients.producer");
             TopicProbe events = TopicProbe.open(Api.EVENTS_TOPIC);
             TopicProbe credentialsTopic = TopicProbe.open(CredentialsTopic.TOPIC)) {
            registerDomain(tenant, domain);
            String id = admin(tenant).body(Api.mailbox("anna", domain, "MAIL_STANDARD")).post("/api/v1/mailboxes")
                    .then().statusCode(201).extract().path("id");
            responses.add(admin(tenant).body(Map.of("password", NEW_PASSWORD, "passwordConfirmation", NEW_PASSWORD))
                    .put("/api/v1/mailboxes/" + id + "/password").then().statusCode(204).extract().asString());
            responses.add(admin(tenant).body(Map.of("password", NEW_PASSWORD, "passwordConfirmation", "x"))
                    .put("/api/v1/mailboxes/" + id + "/password").then().statusCode(400).extract().asString());
            responses.add(admin(tenant).body(Map.of("rate", "MAIL_PREMIUM")).put("/api/v1/mailboxes/" + id + "/rate")
                    .then().statusCode(200).extract().asString());
            responses.add(admin(tenant).get("/api/v1/mailboxes/" + id).then().statusCode(200).extract().asString());
            responses.add(admin(tenant).get("/api/v1/mailboxes").then().statusCode(200).extract().asString());
            responses.add(admin(tenant).get("/api/v1/mailboxes/" + id + "/history").then().statusCode(200)
                    .extract().asString());
            responses.add(admin(tenant).get("/api/v1/addresses/anna@" + domain).then().statusCode(200)
                    .extract().asString());
            List<String> hashes = new ArrayList<>();
            credentialsTopic.await(keyed(id), 2, WAIT).forEach(record -> hashes.add(passwordHash(record)));
            responses.add(admin(tenant).delete("/api/v1/mailboxes/" + id).then().statusCode(204).extract().asString());
            responses.add(admin(tenant).get("/api/v1/mailboxes/" + id + "/history").then().statusCode(200)
                    .extract().asString());
            List<ConsumerRecord<String, String>> published = events.await(keyed(tenant), 6, WAIT);
            assertThat(published).extracting(r -> header(r, "ce_type")).containsExactly("DomainAdded",
                    "DomainVerified", "MailboxCreated", "PasswordChanged", "RateChanged", "MailboxDeleted");

            List<String> secrets = new ArrayList<>(hashes);
            secrets.addAll(hashes.stream().map(hash -> hash.substring(hash.lastIndexOf('$') + 1)).toList());
            secrets.add(Api.PASSWORD);
            secrets.add(NEW_PASSWORD);
            List<String> onMailboxEvents = new ArrayList<>();
            for (ConsumerRecord<String, String> record : published) {
                onMailboxEvents.add(record.value());
                record.headers().forEach(h -> onMailboxEvents.add(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
            }
            assertThat(logs.lines()).as("log lines captured while the commands ran").isNotEmpty();
            for (String secret : secrets) {
                assertThat(onMailboxEvents).noneMatch(text -> text != null && text.contains(secret));
                assertThat(responses).noneMatch(text -> text.contains(secret));
                assertThat(logs.lines()).noneMatch(line -> line.contains(secret));
            }
            assertThat(String.join("\n", onMailboxEvents)).doesNotContain("argon2").doesNotContain("ARGON2ID");
            assertThat(String.join("\n", responses)).doesNotContain("argon2").doesNotContain("ARGON2ID");
        }
    }

    private static String passwordHash(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).get("passwordHash").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError("Not JSON: " + record.value(), e);
        }
    }

    private void awaitOutboxEmpty(String mailboxId) {
        await().pollInSameThread().atMost(WAIT).until(() -> database.count(
                "select count(*) from credentials_outbox where subject = ?", mailboxId) == 0);
    }

    private String storedHash(String mailboxId) {
        return database.first(
                "select password_hash from mailbox_credential where mailbox_id = cast(? as uuid)", row -> row.getString(1), mailboxId).orElse(null);
    }
}
