package dev.mailops.dns.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.TopicReplay;
import dev.mailops.dns.messaging.MailboxEventsConsumer;
import dev.mailops.dns.server.ZoneCache;

/** Operator actions that span all tenants. */
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    @Inject
    TopicReplay replay;
    @Inject
    MailboxEventsConsumer consumer;
    @Inject
    EntityManager entityManager;
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
                entityManager.createNativeQuery("delete from dns_record where managed_by = 'PROVIDER'").executeUpdate();
                entityManager.createNativeQuery("truncate processed_event").executeUpdate();
            }

            @Override
            public boolean apply(CloudEvent event) {
                boolean applied = consumer.apply(event, true).isPresent();
                // The replay is one long transaction: without this, every query's auto-flush would
                // dirty-check all zones loaded so far, O(n²) in the number of domains.
                entityManager.flush();
                entityManager.clear();
                return applied;
            }
        });
        cache.refresh();
        return result;
    }
}
