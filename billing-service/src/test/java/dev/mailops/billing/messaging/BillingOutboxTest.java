package dev.mailops.billing.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.outbox.OutgoingEvent;
import dev.mailops.testinfra.TopicProbe;

/** An event written to the outbox shares the fate of the transaction that wrote it. */
@QuarkusTest
class BillingOutboxTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    BillingOutbox outbox;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void anEventOfATransactionThatRollsBackIsNeverPublished() throws Exception {
        OutgoingEvent event = event();

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.append(event);
            throw new IllegalStateException("the change failed after its event was written");
        })).hasMessageContaining("the change failed");

        assertThat(rowsOf(event)).isZero();
    }

    @Test
    void anEventOfACommittedTransactionIsPublishedAndThenLeavesTheOutbox() throws Exception {
        String topic = ConfigProvider.getConfig().getValue("mp.messaging.outgoing.billing-events.topic", String.class);
        OutgoingEvent event = event();
        try (TopicProbe published = TopicProbe.open(topic)) {
            QuarkusTransaction.requiringNew().run(() -> outbox.append(event));

            var record = published.await(TopicProbe.keyed(event.tenantId()), 1, WAIT).get(0);
            assertThat(TopicProbe.header(record, "ce_id")).isEqualTo(event.id().toString());
            assertThat(TopicProbe.header(record, "ce_causationid")).isEqualTo("cause-1");
            assertThat(record.value()).isEqualTo(event.data());
            await().atMost(WAIT).until(() -> rowsOf(event) == 0);
        }
    }

    private static OutgoingEvent event() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        return new OutgoingEvent(UUID.randomUUID(), "ContractUpdated",
                OutgoingEvent.schema("billing-events", "ContractUpdated", 1), tenant, tenant,
                Instant.now().truncatedTo(ChronoUnit.MICROS), Map.of("causationid", "cause-1"),
                "{\"tenantId\":\"" + tenant + "\"}", null);
    }

    private long rowsOf(OutgoingEvent event) throws Exception {
        try (var connection = dataSource.getConnection();
             var query = connection.prepareStatement("select count(*) from outbox where event_id = ?")) {
            query.setObject(1, event.id());
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
