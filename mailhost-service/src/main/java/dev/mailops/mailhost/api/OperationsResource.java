package dev.mailops.mailhost.api;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.TopicReplay;
import dev.mailops.mailhost.credentials.CredentialRecords;
import dev.mailops.mailhost.credentials.CredentialTables;
import dev.mailops.mailhost.hosting.MailHostProjection;
import dev.mailops.mailhost.hosting.MailHostTables;
import dev.mailops.mailhost.hosting.MailboxEvents;

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
    CredentialRecords credentialRecords;
    @Inject
    CredentialTables credentials;
    @Inject
    EntityManager entityManager;

    @ConfigProperty(name = "mp.messaging.incoming.mailbox-events.topic")
    String eventsTopic;
    @ConfigProperty(name = "mp.messaging.incoming.mailbox-credentials.topic")
    String credentialsTopic;

    /**
     * Rebuilds the mail host's tables from mailbox.events and the credentials from mailbox.credentials,
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
            }

            @Override
            public boolean apply(CloudEvent event) {
                boolean applied = projection.applyOnce(event);
                // One long transaction: without this every auto-flush would dirty-check all loaded so far.
                entityManager.flush();
                entityManager.clear();
                return applied;
            }
        });
        TopicReplay.Result credentialsResult = replay.replayRecords(credentialsTopic, new TopicReplay.RecordRebuild() {
            @Override
            public void truncate() {
                credentials.truncateForReplay();
            }

            @Override
            public boolean apply(ConsumerRecord<String, String> record) {
                credentials.apply(credentialRecords.read(record.key(), record.value(),
                        Instant.ofEpochMilli(record.timestamp())));
                return true;
            }
        });
        return new ReplayResult(events, credentialsResult);
    }
}
