package dev.mailops.mailbox.messaging;

import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.testinfra.TopicProbe.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.mailops.mailbox.Api;
import dev.mailops.testinfra.TopicProbe;

/** With the fallback poll set to 30 s, only the commit's NOTIFY can bring an event out quickly. */
@QuarkusTest
@TestProfile(OutboxWakeUpTest.SlowPoll.class)
class OutboxWakeUpTest {

    public static class SlowPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailbox.outbox.poll-interval", "PT30S");
        }
    }

    @Test
    void aCommittedEventIsPublishedWithoutWaitingForThePoll() {
        try (TopicProbe probe = TopicProbe.open(Api.EVENTS_TOPIC)) {
            for (int i = 0; i < 3; i++) {
                String tenant = newTenant();
                long accepted = System.nanoTime();
                admin(tenant).put("/api/v1/domains/" + newDomain()).then().statusCode(201);
                probe.await(keyed(tenant), 1, Duration.ofSeconds(20));
                Duration latency = Duration.ofNanos(System.nanoTime() - accepted);
                assertThat(latency).as("commit to topic, attempt %d", i).isLessThan(Duration.ofSeconds(5));
            }
        }
    }
}
