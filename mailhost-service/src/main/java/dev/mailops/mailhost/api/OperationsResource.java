package dev.mailops.mailhost.api;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.TopicReplay;
import dev.mailops.mailhost.credentials.CredentialTables;
import dev.mailops.mailhost.dkim.DkimKeyWriter;
import dev.mailops.mailhost.dkim.DkimTables;
import dev.mailops.mailhost.hosting.MailHostProjection;
import dev.mailops.mailhost.hosting.MailHostTables;
import dev.mailops.mailhost.hosting.MailboxEvents;
import dev.mailops.mailhost.messaging.CredentialsConsumer;

/** Operator actions that span all tenants. */
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    /** What each of the two replays read and applied. */
    public record ReplayResult(TopicReplay.Result events, TopicReplay.Result credentials) {
    }

    @Inject
    TopicReplay replay;
    @Inject
    MailHostProjection projection;
    @Inject
    MailHostTables tables;
    @Inject
    CredentialsConsumer credentialsConsumer;
    @Inject
    CredentialTables credentials;
    @Inject
    DkimTables dkim;
    @Inject
    DkimKeyWriter keyWriter;

    @ConfigProperty(name = "mp.messaging.incoming.mailbox-events.topic")
    String eventsTopic;
    @ConfigProperty(name = "mp.messaging.incoming.mailbox-credentials.topic")
    String credentialsTopic;

    /**
     * Rebuilds the mail host's tables (DKIM selectors included) from mailbox.events and the credentials
     * and sealed DKIM keys from mailbox.credentials,
     * each in one transaction that live consumption waits for. The removals of deleted mailboxes' mail
     * stay as they are: they record what was done to the mail host, and are never asked for twice.
     */
    @POST
    @Path("/replay")
    @RolesAllowed("operator")
    public ReplayResult replay() {
        TopicReplay.Result events = replay.replay(eventsTopic, MailboxEvents.HANDLED_TYPES, new TopicReplay.Rebuild() {
            @Override
            public void truncate() {
                tables.truncateForReplay();
                dkim.truncateSelectorsForReplay();
            }

            @Override
            public boolean apply(CloudEvent event) {
                return projection.applyOnce(event);
            }
        });
        TopicReplay.Result credentialsResult = replay.replayRecords(credentialsTopic, new TopicReplay.RecordRebuild() {
            @Override
            public void truncate() {
                credentials.truncateForReplay();
                dkim.truncateKeysForReplay();
            }

            @Override
            public boolean apply(ConsumerRecord<String, String> record) {
                credentialsConsumer.apply(credentialsConsumer.read(record.key(), record.value(),
                        Instant.ofEpochMilli(record.timestamp())));
                return true;
            }
        });
        keyWriter.wake(); // the key files follow the rebuilt keys (they stay as they are when nothing changed)
        return new ReplayResult(events, credentialsResult);
    }
}
