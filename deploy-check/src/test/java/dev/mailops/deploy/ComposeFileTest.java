package dev.mailops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** docker-compose.yml as Compose itself reads it (`docker-compose config` needs no engine). */
class ComposeFileTest {

    static final List<String> SERVICES = List.of("mailbox-service", "billing-service", "dns-service", "gateway");

    @BeforeAll
    static void tools() throws Exception {
        Repository.ensureTools();
    }

    /** What an operator must provide: no secret has a default. */
    static final Map<String, String> SECRETS = Map.of("MAILOPS_GATEWAY_TOKEN", "a-random-token-of-the-operator",
            "GATEWAY_BOOTSTRAP_ADMIN_PASSWORD", "an-admin-password", "MAILOPS_JWT_KEYS", "/srv/mailops/jwt");

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
        for (String internal : List.of("mailbox-service", "billing-service", "kafka", "postgres")) {
            assertThat(services.get(internal).has("ports")).as(internal + " is not published").isFalse();
        }
        assertThat(services.get("gateway").get("ports").toString()).contains("8080");
    }
}
