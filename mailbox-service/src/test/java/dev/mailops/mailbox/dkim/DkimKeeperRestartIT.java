package dev.mailops.mailbox.dkim;

import static dev.mailops.testinfra.TopicProbe.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TestInfrastructure;
import dev.mailops.testinfra.TopicProbe;

/**
 * The packaged service, restarted around the key keeper's work: a domain registered while DKIM was
 * off gets its keys once it is on, and a keeper killed with SIGKILL after generating keys that DNS
 * did not serve yet finishes after its restart, from what the event store says, without generating
 * any key twice.
 */
class DkimKeeperRestartIT {

    static final Duration WAIT = Duration.ofSeconds(60);

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String eventsTopic = "dkim-" + run + ".mailbox.events";
    final String token = UUID.randomUUID().toString();
    final String tenant = "it-" + run;
    final TestDnsServer dns = TestDnsServer.start();
    ServiceProcess service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        dns.close();
        TestInfrastructure.settings().deleteTopics("dkim-" + run + ".");
    }

    @Test
    void theKeeperFinishesAfterARestartAndKeysTheDomainsRegisteredWhileItWasOff() throws Exception {
        Path keyEncryptionKey = Path.of("target", "dkim-it-" + run, "key-encryption-key").toAbsolutePath();
        Files.createDirectories(keyEncryptionKey.getParent());
        Files.writeString(keyEncryptionKey, KeyEncryption.generate(), StandardCharsets.US_ASCII);
        String before = "before-" + run + ".example";
        String after = "after-" + run + ".example";
        try (TopicProbe events = TopicProbe.open(eventsTopic)) {
            service = packaged().with("mailbox.dkim.enabled", "false").start();
            api().put("/api/v1/domains/" + before).then().statusCode(201);
            JsonPath off = dkim(before);
            assertThat(off.getBoolean("enabled")).isFalse();
            assertThat(off.getList("selectors")).isEmpty();
            service.kill();

            service = packaged().with("mailbox.dkim.enabled", "true")
                    .with("mailbox.dkim.key-encryption-key-file", keyEncryptionKey.toString())
                    .with("mailbox.dkim.dns-servers", dns.address())
                    .with("mailbox.dkim.check-interval", "300ms")
                    .process();
            service.start();
            api().put("/api/v1/domains/" + after).then().statusCode(201);
            JsonPath keysBefore = awaitDkim(before, keys -> keys.getList("selectors").size() == 2);
            JsonPath keysAfter = awaitDkim(after, keys -> keys.getList("selectors").size() == 2);
            assertThat(keysBefore.getList("selectors.state")).containsOnly("generated");
            service.kill();

            for (JsonPath keys : List.of(keysBefore, keysAfter)) {
                for (Map<String, Object> selector : keys.<Map<String, Object>>getList("selectors")) {
                    dns.serve((String) selector.get("dnsName"), (String) selector.get("record"));
                }
            }
            service.start();
            for (String domain : List.of(before, after)) {
                JsonPath done = awaitDkim(domain, keys -> "published".equals(state(keys, "mbo0002"))
                        && "active".equals(state(keys, "mbo0001")));
                assertThat(done.getList("selectors.keyId"))
                        .isEqualTo((domain.equals(before) ? keysBefore : keysAfter).getList("selectors.keyId"));
            }

            events.await(record -> "DkimKeyPublished".equals(header(record, "ce_type")), 4, WAIT);
            Map<String, Long> types = events.readToEnd(record -> tenant.equals(record.key())).stream()
                    .map(record -> header(record, "ce_type"))
                    .collect(Collectors.groupingBy(type -> type, Collectors.counting()));
            assertThat(types).isEqualTo(Map.of("DomainAdded", 2L, "DkimKeyGenerated", 4L, "DkimKeyPublished", 4L,
                    "DkimSelectorActivated", 2L));
        }
    }

    private PackagedService packaged() {
        return PackagedService.underTest()
                .database("mailbox_dkim_it_" + run)
                .gatewayToken(token)
                .publishing("mailbox-events", eventsTopic)
                .publishing("mailbox-credentials", "dkim-" + run + ".mailbox.credentials");
    }

    private RequestSpecification api() {
        return given().baseUri(service.baseUrl())
                .header("X-Gateway-Token", token)
                .header("X-Tenant-Id", tenant)
                .header("X-User-Id", "admin-1")
                .header("X-User-Roles", "admin");
    }

    private JsonPath dkim(String domain) {
        return api().get("/api/v1/domains/" + domain + "/dkim").then().statusCode(200).extract().jsonPath();
    }

    private JsonPath awaitDkim(String domain, Predicate<JsonPath> until) {
        return await().atMost(WAIT).until(() -> dkim(domain), until::test);
    }

    private static String state(JsonPath keys, String selector) {
        return keys.getString("selectors.find { it.selector == '" + selector + "' }.state");
    }
}
