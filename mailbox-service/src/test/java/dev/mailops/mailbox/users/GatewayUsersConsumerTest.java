package dev.mailops.mailbox.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.mailbox.domain.SystemUsers.Standing;
import dev.mailops.testinfra.LocalInfrastructure;

/** gateway.users into the known users: each event once, in order, and what mailbox-service reads of it is published. */
@QuarkusTest
class GatewayUsersConsumerTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KnownUsers knownUsers;

    @Test
    void aCreatedUserIsKnownEnabledInItsTenant() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        try (GatewayUsersTopic topic = new GatewayUsersTopic()) {
            topic.created(tenant, "anna.berg");
        }
        await().atMost(WAIT).until(() -> standing(tenant, "anna.berg") == Standing.ENABLED);
    }

    @Test
    void redeliveriesChangeNothing() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        try (GatewayUsersTopic topic = new GatewayUsersTopic()) {
            GatewayUsersTopic.Sent created = topic.created(tenant, "anna.berg");
            GatewayUsersTopic.Sent disabled = topic.disabled(tenant, "anna.berg");
            topic.enabled(tenant, "anna.berg");
            // the relay sends again what it sent before (same ce_id): applied already, so nothing changes
            topic.send(disabled);
            topic.send(created);
            topic.created(tenant, "marker");
        }
        await().atMost(WAIT).until(() -> standing(tenant, "marker") == Standing.ENABLED);
        assertThat(standing(tenant, "anna.berg")).isEqualTo(Standing.ENABLED);
    }

    @Test
    void aDisabledUserIsKnownAsDisabledAndCanBeEnabledAgain() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        try (GatewayUsersTopic topic = new GatewayUsersTopic()) {
            topic.created(tenant, "anna.berg");
            topic.disabled(tenant, "anna.berg");
            await().atMost(WAIT).until(() -> standing(tenant, "anna.berg") == Standing.DISABLED);
            topic.enabled(tenant, "anna.berg");
        }
        await().atMost(WAIT).until(() -> standing(tenant, "anna.berg") == Standing.ENABLED);
    }

    @Test
    void theEventsThisServiceReadsAreThePublishedSchemasExamples() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String type : GatewayUsersConsumer.TYPES) {
            var schemaText = Files.readString(LocalInfrastructure.repositoryRoot()
                    .resolve("contract/gateway-users/" + type + ".v1.schema.json"));
            var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaText);
            var example = json.readTree(schemaText).get("examples").get(0);
            assertThat(schema.validate(example)).isEmpty();
            GatewayUsersConsumer.UserEvent read = json.treeToValue(example, GatewayUsersConsumer.UserEvent.class);
            assertThat(read.tenantId()).isNotBlank();
            assertThat(read.userId()).isNotBlank();
        }
    }

    /** What the create command would read now, in a transaction of its own as a command has. */
    private Standing standing(String tenant, String user) {
        return QuarkusTransaction.requiringNew().call(() -> knownUsers.standing(tenant, user));
    }
}
