package dev.mailops.mailhost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * Topics of this test run only: the database is migrated afresh at each start, so a replay from the
 * beginning of the topics must find this run's records and nothing older. A DKIM key-encryption key and
 * a key directory of the run, too.
 */
public class RunTopics implements QuarkusTestResourceLifecycleManager {

    private String run;

    @Override
    public Map<String, String> start() {
        run = "test.mailhost." + UUID.randomUUID().toString().substring(0, 8);
        Path keyEncryptionKey;
        Path keyDirectory;
        try {
            Path folder = Files.createTempDirectory("mailhost-service-test-dkim");
            keyEncryptionKey = Files.writeString(folder.resolve("dkim-key-encryption-key"), KeyEncryption.generate());
            keyDirectory = folder.resolve("dkim-keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "mailhost.dkim.key-encryption-key-file", keyEncryptionKey.toString(),
                "mailhost.dkim.key-directory", keyDirectory.toString(),
                "mailhost.dkim.write-interval", "2s",
                "mp.messaging.incoming.mailbox-events.topic", run + ".mailbox.events",
                "mp.messaging.incoming.mailbox-events.dead-letter-queue.topic", run + ".mailbox.events.dlq",
                "mp.messaging.incoming.mailbox-credentials.topic", run + ".mailbox.credentials",
                "mp.messaging.incoming.mailbox-credentials.dead-letter-queue.topic", run + ".mailbox.credentials.dlq");
    }

    @Override
    public void stop() {
        if (run != null) {
            TestInfrastructure.settings().deleteTopics(run + ".");
        }
    }
}
