package dev.mailops.testinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The one configuration of a packaged service run as a process. */
class PackagedServiceTest {

    final InfrastructureSettings infrastructure = TestInfrastructure.settings();
    final String database = "packaged_" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aConsumerGetsTheInfrastructureItsDatabaseTheTokenAndTheTopicsOfTheRun() throws SQLException {
        Map<String, String> properties = PackagedService.underTest().on(infrastructure).database(database)
                .gatewayToken("token-1")
                .consuming("run.mailbox.events", "billing-run", "run.mailbox.events.billing-dlq")
                .publishing("billing-events", "run.billing.events")
                .with("quarkus.mailer.port", "2626")
                .properties();
        assertThat(properties).containsAllEntriesOf(Map.of(
                "kafka.bootstrap.servers", infrastructure.kafkaBootstrapServers(),
                "quarkus.datasource.jdbc.url", infrastructure.jdbcUrl(database),
                "quarkus.datasource.username", infrastructure.pgUser(),
                "quarkus.datasource.password", infrastructure.pgPassword(),
                "mailops.gateway-token", "token-1",
                "mp.messaging.incoming.mailbox-events.topic", "run.mailbox.events",
                "mp.messaging.incoming.mailbox-events.group.id", "billing-run",
                "mp.messaging.incoming.mailbox-events.dead-letter-queue.topic", "run.mailbox.events.billing-dlq",
                "mp.messaging.outgoing.billing-events.topic", "run.billing.events",
                "quarkus.mailer.port", "2626"));
        try (Connection connection = infrastructure.connect(database)) {
            assertThat(connection.isValid(5)).as("the database was created").isTrue();
        }
    }

    @Test
    void whatATestSetsWinsOverTheDefaults() {
        Map<String, String> properties = PackagedService.underTest().on(infrastructure).database(database)
                .with("kafka.bootstrap.servers", "elsewhere:9092").properties();
        assertThat(properties).containsEntry("kafka.bootstrap.servers", "elsewhere:9092");
    }

    @Test
    void everyPackagedServiceGetsAGatewayTokenAsItRefusesToStartWithoutOne() {
        Map<String, String> properties = PackagedService.underTest().on(infrastructure).database(database).properties();
        assertThat(properties).containsEntry("mailops.gateway-token", PackagedService.TEST_GATEWAY_TOKEN);
        assertThat(PackagedService.TEST_GATEWAY_TOKEN).startsWith("packaged-test-").hasSizeGreaterThan(30);
    }

    @Test
    void aServiceNeedsItsOwnDatabase() {
        assertThatThrownBy(() -> PackagedService.underTest().on(infrastructure).properties())
                .hasMessageContaining("Name the database");
    }

    @Test
    void aModuleThatIsNotPackagedIsNamed() {
        assertThatThrownBy(() -> PackagedService.module("no-such-service")).hasMessageContaining("no-such-service")
                .hasMessageContaining("is missing");
    }
}
