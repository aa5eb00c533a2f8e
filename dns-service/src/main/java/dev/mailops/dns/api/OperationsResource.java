package dev.mailops.dns.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.TopicReplay;
import dev.mailops.dns.messaging.MailboxEventsConsumer;
import dev.mailops.dns.server.ZoneCache;
import dev.mailops.kit.jdbc.Database;

/** Operator actions that span all tenants. */
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    @Inject
    TopicReplay replay;
    @Inject
    MailboxEventsConsumer consumer;
    @Inject
    Database database;
    @Inject
    ZoneCache cache;

    @ConfigProperty(name = "mp.messaging.incoming.mailbox-events.topic")
    String topic;

    /**
     * Rebuilds the provider's records of every zone from mailbox.events: the mail profile's, and the
     * domains' own DKIM keys where the profile publishes them. The tenants' own records are not derived
     * from events and stay; zone serials only rise.
     */
    @POST
    @Path("/replay")
    @RolesAllowed("operator")
    public TopicReplay.Result replay() {
        TopicReplay.Result result = replay.replay(topic, consumer.handledTypes(), new TopicReplay.Rebuild() {
            @Override
            public void truncate() {
                database.update("DELETE FROM dns_record WHERE managed_by = 'PROVIDER'");
                database.update("TRUNCATE processed_event");
            }

            @Override
            public boolean apply(CloudEvent event) {
                return consumer.apply(event, true).isPresent();
            }
        });
        cache.refresh();
        return result;
    }
}
