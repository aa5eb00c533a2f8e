package dev.mailops.mailhost;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Topics of this test run only: the database is migrated afresh at each start, so a replay from the
 * beginning of the topics must find this run's records and nothing older.
 */
public class RunTopics implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String run = "test.mailhost." + UUID.randomUUID().toString().substring(0, 8);
        return Map.of(
                "mp.messaging.incoming.mailbox-events.topic", run + ".mailbox.events",
                "mp.messaging.incoming.mailbox-events.dead-letter-queue.topic", run + ".mailbox.events.dlq",
                "mp.messaging.incoming.mailbox-credentials.topic", run + ".mailbox.credentials",
                "mp.messaging.incoming.mailbox-credentials.dead-letter-queue.topic", run + ".mailbox.credentials.dlq");
    }

    @Override
    public void stop() {
    }
}
