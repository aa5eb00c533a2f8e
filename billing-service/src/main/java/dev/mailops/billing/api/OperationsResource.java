package dev.mailops.billing.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.mailops.billing.messaging.Replayer;

/** Operator actions that span all tenants. */
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    @Inject
    Replayer replayer;

    /** Rebuilds every contract from mailbox.events; live consumption waits until it is done. */
    @POST
    @Path("/replay")
    @RolesAllowed("operator")
    public Replayer.Result replay() {
        return replayer.replay();
    }
}
