package dev.mailops.mailbox.messaging;

import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.testinfra.TopicProbe.header;
import static dev.mailops.testinfra.TopicProbe.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.Api;
import dev.mailops.testinfra.TopicProbe;

@QuarkusTest
class OutboxRelayTest {

    static final int COMMANDS = 60;

    @Inject
    MailboxEventsRelay relay;

    @Inject
    Database database;

    @Inject
    KafkaClientService kafkaClients;

    @Test
    void bothRelaysProducersKeepEveryRecordUntilTheBrokerHasIt() {
        assertThat(kafkaClients.getProducerChannels()).contains("mailbox-events", "mailbox-credentials");
        for (String channel : List.of("mailbox-events", "mailbox-credentials")) {
            Map<String, Object> producer = Map.copyOf(kafkaClients.getProducer(channel).configuration());
            assertThat(producer).as(channel)
                    .containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                    .containsEntry("delivery.timeout.ms", "2147483647").containsEntry("max.block.ms", "2147483647");
        }
    }

    @Test
    void aRelayStoppedAndRestartedMidStreamLosesAndDuplicatesNothing() throws Exception {
        String tenant = newTenant();
        List<String> domains = java.util.stream.IntStream.range(0, COMMANDS)
                .mapToObj(i -> "d" + i + "-" + UUID.randomUUID().toString().substring(0, 6) + ".de").toList();
        try (TopicProbe probe = TopicProbe.open(Api.EVENTS_TOPIC)) {
            CountDownLatch third = new CountDownLatch(COMMANDS / 3);
            CountDownLatch twoThirds = new CountDownLatch(2 * COMMANDS / 3);
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
                for (String domain : domains) {
                    admin(tenant).put("/api/v1/domains/" + domain).then().statusCode(201);
                    third.countDown();
                    twoThirds.countDown();
                }
            });
            try {
                assertThat(third.await(60, TimeUnit.SECONDS)).isTrue();
                relay.stop();
                assertThat(twoThirds.await(60, TimeUnit.SECONDS)).isTrue();
                assertThat(waitingInOutbox(tenant)).as("events kept while the relay is stopped").isPositive();
            } finally {
                relay.start();
            }
            stream.get(60, TimeUnit.SECONDS);

            // Each registration is a DomainAdded and, under the test profile's policy none, a DomainVerified.
            probe.await(keyed(tenant), 2 * COMMANDS, Duration.ofSeconds(30));
            // An empty outbox means every send was acknowledged: nothing of this tenant can still arrive.
            await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> waitingInOutbox(tenant) == 0);
            List<ConsumerRecord<String, String>> published = probe.readToEnd(keyed(tenant));
            // At-least-once allows a re-send, but a clean stop and start must not lose or add any event.
            assertThat(published).extracting(r -> header(r, "ce_id")).doesNotHaveDuplicates().hasSize(2 * COMMANDS);
            assertThat(published).filteredOn(r -> "DomainAdded".equals(header(r, "ce_type")))
                    .extracting(r -> header(r, "ce_subject")).containsExactlyElementsOf(domains);
            assertThat(published).extracting(r -> Long.parseLong(header(r, "ce_position"))).isSorted();
        }
    }

    private long waitingInOutbox(String tenant) {
        return database.count(
                "select count(*) from outbox o join event_store e using (global_position) where e.tenant_id = ?", tenant);
    }
}
