package dev.mailops.consumer;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;

import dev.mailops.testinfra.TestInfrastructure;

/** The tests' Kafka and PostgreSQL, and the topics of this run: the live channel's and its dead letters'. */
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "consumer_kit_test"))
@QuarkusTestResource(KitTopics.class)
public class KitTopics implements QuarkusTestResourceLifecycleManager {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String EVENTS = "kit-" + RUN + ".mailbox.events";
    static final String DEAD_LETTERS = EVENTS + ".dlq";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mp.messaging.incoming.kit-events.topic", EVENTS,
                "mp.messaging.incoming.kit-events.group.id", "kit-" + RUN,
                "mp.messaging.incoming.kit-events.dead-letter-queue.topic", DEAD_LETTERS);
    }

    @Override
    public void stop() {
        TestInfrastructure.settings().deleteTopics("kit-" + RUN + ".");
    }
}
