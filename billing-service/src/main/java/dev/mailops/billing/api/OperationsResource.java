package dev.mailops.billing.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.mailops.billing.rebuild.ContractRebuild;
import dev.mailops.consumer.TopicReplay;

/** Operator actions that span all tenants. */
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    @Inject
    ContractRebuild rebuild;

    @ConfigProperty(name = "mp.messaging.incoming.mailbox-events.topic")
    String topic;

    /**
     * Rebuilds every contract from mailbox.events; live consumption waits until it is done. Billing
     * addresses and notices are not derived from events and stay; nothing is published or mailed again.
     */
    @POST
    @Path("/replay")
    @RolesAllowed("operator")
    public TopicReplay.Result replay() {
        return rebuild.rebuild(topic);
    }
}
