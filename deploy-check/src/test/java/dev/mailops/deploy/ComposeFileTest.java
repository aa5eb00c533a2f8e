package dev.mailops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** docker-compose.yml as Compose itself reads it (`docker-compose config` needs no engine). */
class ComposeFileTest {

    static final List<String> SERVICES = List.of("mailbox-service", "billing-service", "dns-service", "gateway",
            "mailhost-service");

    @BeforeAll
    static void tools() throws Exception {
        Repository.ensureTools();
    }

    /** What an operator must provide: no secret has a default. */
    static final Map<String, String> SECRETS = Map.of("MAILOPS_GATEWAY_TOKEN", "a-random-token-of-the-operator",
            "GATEWAY_BOOTSTRAP_OPERATOR_PASSWORD", "an-admin-password", "MAILOPS_JWT_KEYS", "/srv/mailops/jwt",
            "MAILOPS_MAILHOST_SECRETS", "/srv/mailops/mailhost", "MAILOPS_DB_PASSWORD", "a-random-db-password");

    /** What examples and defaults put where a secret belongs. */
    static final List<String> PLACEHOLDERS = List.of("change-me", "changeme", "change_me", "changeit", "replace_me",
            "replace-me", "local-gateway-token", "placeholder");

    /** An environment variable by such a name holds a secret. */
    static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|TOKEN|SECRET)");

    @Test
    void composeAcceptsTheFile() throws Exception {
        Repository.Run config = Repository.run(SECRETS, "docker-compose", "-f", "docker-compose.yml", "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
    }

    @Test
    void composeRefusesToRunWithoutItsSecrets() throws Exception {
        for (String secret : SECRETS.keySet()) {
            Map<String, String> missingOne = new java.util.HashMap<>(SECRETS);
            missingOne.put(secret, ""); // empty counts as missing, whatever the caller's environment holds
            Repository.Run config = Repository.run(missingOne, "docker-compose", "-f", "docker-compose.yml", "config");
            assertThat(config.exitCode()).as(secret + " missing: " + config.output()).isNotZero();
            assertThat(config.output()).contains(secret);
        }
    }

    @Test
    void theFileCarriesNoPlaceholderAndDemandsEverySecretFromTheOperator() throws Exception {
        String file = Files.readString(Repository.ROOT.resolve("docker-compose.yml"));
        assertThat(PLACEHOLDERS).allSatisfy(placeholder -> assertThat(file.toLowerCase()).doesNotContain(placeholder));

        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(file).get("services");
        List<String> secrets = new ArrayList<>();
        services.fields().forEachRemaining(service -> {
            JsonNode environment = service.getValue().get("environment");
            if (environment == null) {
                return;
            }
            environment.fields().forEachRemaining(variable -> {
                if (SECRET_NAME.matcher(variable.getKey()).matches()) {
                    secrets.add(service.getKey() + " " + variable.getKey());
                    assertThat(variable.getValue().asText()).as(service.getKey() + " " + variable.getKey()
                            + ": the operator's value, demanded, never a default").matches("\\$\\{[A-Z_]+:\\?.+}");
                }
            });
        });
        assertThat(secrets).as("the secrets found").contains("postgres POSTGRES_PASSWORD", "gateway MAILOPS_GATEWAY_TOKEN",
                "mailbox-service MAILBOX_DB_PASSWORD", "gateway GATEWAY_BOOTSTRAP_OPERATOR_PASSWORD");
        assertThat(file).as("secret files come from the operator's directories only")
                .doesNotContainPattern("(?m)^\\s+- \\./[^:]*(secret|key|password|\\.pem)");
    }

    @Test
    void composeRejectsABrokenFile() throws Exception {
        Path broken = Files.createTempFile(Repository.ROOT, ".broken-compose", ".yml");
        try {
            Files.writeString(broken, Files.readString(Repository.ROOT.resolve("docker-compose.yml"))
                    .replaceFirst("depends_on:", "depends_on: 42\n    depends_on_broken:"));
            assertThat(Repository.run(SECRETS, "docker-compose", "-f", broken.toString(), "config").exitCode())
                    .isNotZero();
        } finally {
            Files.deleteIfExists(broken);
        }
    }

    @Test
    void theSystemRunsFromBuiltImagesWithHealthChecksAndOnlyTheGatewayPublished() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Repository.ROOT.resolve("docker-compose.yml").toFile());
        JsonNode services = compose.get("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("kafka", "postgres").containsAll(SERVICES);
        for (String name : List.of("kafka", "postgres", "mailbox-service", "billing-service", "dns-service", "gateway")) {
            assertThat(services.get(name).has("healthcheck")).as(name + " has a health check").isTrue();
        }
        for (String service : SERVICES) {
            assertThat(services.get(service).get("image").asText()).startsWith("mailops/" + service + ":");
            assertThat(services.get(service).has("environment")).as(service + " is configured by environment").isTrue();
        }
        for (String internal : List.of("mailbox-service", "billing-service", "mailhost-service", "kafka", "postgres")) {
            assertThat(services.get(internal).has("ports")).as(internal + " is not published").isFalse();
        }
        assertThat(services.get("gateway").get("ports").toString()).contains("8080");
    }

    @Test
    void everyServiceRunsWithTheJvmBoundsOfTheLocalRunAndAMemoryLimit() throws Exception {
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(Repository.ROOT.resolve("docker-compose.yml").toFile())
                .get("services");
        for (String service : SERVICES) {
            JsonNode environment = services.get(service).get("environment");
            assertThat(environment.get("JAVA_OPTS_APPEND").asText()).as(service).isEqualTo(Repository.serviceJvmOptions(service));
            assertThat(environment.get("MALLOC_ARENA_MAX").asText()).as(service).isEqualTo("2");
            assertThat(services.get(service).get("mem_limit").asText()).as(service).isIn("384m", "448m");
        }
    }

    /** The mail host as Compose resolves it: the secrets directory filled in, everything else as written. */
    static JsonNode resolved() throws Exception {
        Repository.Run config = Repository.run(SECRETS, "docker-compose", "-f", "docker-compose.yml", "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        return new ObjectMapper(new YAMLFactory()).readTree(config.output());
    }

    @Test
    void theMailHostRunsAsDovecotAndPostfixFromTheKubernetesConfigurationWithItsSecretsDemanded() throws Exception {
        JsonNode services = resolved().get("services");
        for (String daemon : List.of("dovecot", "postfix")) {
            JsonNode service = services.get(daemon);
            assertThat(service).as(daemon).isNotNull();
            assertThat(service.get("image").asText()).isEqualTo("mailops/" + daemon + ":1.0.0-SNAPSHOT");
            assertThat(service.get("build").toString()).contains("deploy/images/" + daemon);
            assertThat(service.has("healthcheck")).as(daemon + " has a health check").isTrue();
            String volumes = service.get("volumes").toString();
            assertThat(volumes).as(daemon + " reads the same files as the ConfigMap")
                    .contains("deploy/kubernetes/mailhost/" + daemon)
                    .contains("/srv/mailops/mailhost/tls.key", "/srv/mailops/mailhost/db-reader-password");
            assertThat(service.get("environment").toString()).doesNotContain("PASSWORD");
        }
        assertThat(services.get("dovecot").get("volumes").toString()).contains("/var/mail");
        assertThat(services.get("dovecot").get("ports").toString()).contains("10993", "10143", "10995", "10110");
        assertThat(services.get("postfix").get("ports").toString()).contains("10025", "10587", "10465");
        assertThat(services.get("postfix-exporter").get("entrypoint").toString())
                .contains("prometheus-postfix-exporter", "/var/log/postfix/postfix.log");
        assertThat(services.get("postgres").get("volumes").toString())
                .contains("init-mailhost-reader.sh", "/srv/mailops/mailhost/db-reader-password");
        assertThat(services.get("mailhost-service").get("environment").get("MAILHOST_DOVEADM_API_KEY_FILE").asText())
                .isEqualTo("/etc/mailops/doveadm/api-key");
        assertThat(Files.readString(Repository.ROOT.resolve("deploy/compose/init-databases.sql")))
                .contains("CREATE DATABASE mailhost");
        assertThat(Files.readString(Repository.ROOT.resolve("deploy/compose/init-mailhost-reader.sh")))
                .contains("CREATE ROLE mailhost_reader", "default_transaction_read_only = on", "db-reader-password")
                .doesNotContainPattern("PASSWORD '[^:]");
    }

    @Test
    void theCredentialsTopicIsCompactedBeforeAnythingWritesOrReadsIt() throws Exception {
        JsonNode services = resolved().get("services");
        String creation = services.get("kafka-topics").get("command").toString();
        assertThat(creation).contains("mailbox.credentials", "mailbox.credentials.mailhost-dlq", "--create",
                "cleanup.policy=compact");
        for (String user : List.of("mailbox-service", "mailhost-service")) {
            assertThat(services.get(user).get("depends_on").get("kafka-topics").get("condition").asText()).as(user)
                    .isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void openDkimSignsSubmittedMailWithTheKeysMailhostServiceWritesAndOnlyTheKeepersHoldTheKeyEncryptionKey()
            throws Exception {
        JsonNode services = resolved().get("services");
        JsonNode opendkim = services.get("opendkim");
        assertThat(opendkim.get("image").asText()).isEqualTo("mailops/opendkim:1.0.0-SNAPSHOT");
        assertThat(opendkim.get("build").toString()).contains("deploy/images/opendkim");
        assertThat(opendkim.has("healthcheck")).isTrue();
        assertThat(opendkim.get("networks").get("default").get("aliases").toString())
                .as("the milter's name in master.cf").contains("mailhost-dkim-milter");
        assertThat(opendkim.get("volumes").toString()).contains("deploy/kubernetes/mailhost/opendkim",
                "/srv/mailops/mailhost/db-reader-password").doesNotContain("dkim-key-encryption-key");
        assertThat(services.get("postfix").get("depends_on").has("opendkim")).isTrue();
        JsonNode forwardSigner = services.get("opendkim-forward");
        assertThat(forwardSigner.get("image").asText()).isEqualTo("mailops/opendkim:1.0.0-SNAPSHOT");
        assertThat(forwardSigner.get("networks").get("default").get("aliases").toString())
                .as("the forward route's milter in master.cf").contains("mailhost-dkim-forward-milter");
        assertThat(forwardSigner.get("environment").get("MAILOPS_DKIM_SENDER_HEADERS").asText()).isEqualTo("X-Original-To");
        assertThat(forwardSigner.get("volumes").toString()).doesNotContain("dkim-key-encryption-key");
        assertThat(services.get("postfix").get("depends_on").has("opendkim-forward")).isTrue();

        String keyDirectory = services.get("mailhost-service").get("environment").get("MAILHOST_DKIM_KEY_DIRECTORY").asText();
        assertThat(opendkim.get("environment").get("MAILOPS_DKIM_KEY_DIRECTORY").asText()).isEqualTo(keyDirectory);
        assertThat(forwardSigner.get("environment").get("MAILOPS_DKIM_KEY_DIRECTORY").asText()).isEqualTo(keyDirectory);
        for (String keeper : List.of("mailhost-service", "opendkim", "opendkim-forward")) {
            List<String> volumes = new ArrayList<>();
            services.get(keeper).get("volumes").forEach(volume -> volumes.add(volume.asText())); // source:target[:mode]
            assertThat(volumes).as(keeper + " shares the key volume").anySatisfy(volume -> {
                assertThat(volume.split(":")[0]).isEqualTo("dkim-keys");
                assertThat(keyDirectory).startsWith(volume.split(":")[1] + "/");
            });
        }
        assertThat(resolved().get("volumes").get("dkim-keys").get("driver_opts").get("type").asText())
                .as("the opened keys stay in memory").isEqualTo("tmpfs");

        JsonNode mailbox = services.get("mailbox-service").get("environment");
        assertThat(mailbox.get("MAILBOX_DKIM_ENABLED").asText()).isEqualTo("true");
        assertThat(mailbox.get("MAILBOX_DKIM_DNS_SERVERS").asText()).isEqualTo("dns-service:10053");
        for (String keeper : List.of("mailbox-service", "mailhost-service")) {
            String variable = keeper.equals("mailbox-service") ? "MAILBOX_DKIM_KEY_ENCRYPTION_KEY_FILE"
                    : "MAILHOST_DKIM_KEY_ENCRYPTION_KEY_FILE";
            String file = services.get(keeper).get("environment").get(variable).asText();
            assertThat(services.get(keeper).get("volumes").toString()).as(keeper)
                    .contains("/srv/mailops/mailhost/dkim-key-encryption-key", file);
        }
        services.fieldNames().forEachRemaining(name -> {
            if (!List.of("mailbox-service", "mailhost-service").contains(name) && services.get(name).has("volumes")) {
                assertThat(services.get(name).get("volumes").toString()).as(name).doesNotContain("dkim-key-encryption-key");
            }
        });
    }

    @Test
    void dnsServiceHandsOutTheMailHostsPublishedPorts() throws Exception {
        JsonNode services = resolved().get("services");
        JsonNode dns = services.get("dns-service").get("environment");
        assertThat(dns.get("DNS_PROFILE").asText()).isEqualTo("self-hosted");
        String published = services.get("dovecot").get("ports").toString() + services.get("postfix").get("ports");
        for (String port : List.of("DNS_CLIENT_SSL_IMAP", "DNS_CLIENT_SSL_POP3", "DNS_CLIENT_SSL_SMTP",
                "DNS_CLIENT_STARTTLS_IMAP", "DNS_CLIENT_STARTTLS_POP3", "DNS_CLIENT_STARTTLS_SMTP")) {
            assertThat(published).as(port).contains("\"published\":" + dns.get(port).asText());
        }
    }
}
