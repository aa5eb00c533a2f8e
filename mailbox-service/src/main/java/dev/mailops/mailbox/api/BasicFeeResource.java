package dev.mailops.mailbox.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;

import dev.mailops.kit.web.Caller;
import dev.mailops.mailbox.catalog.Catalog;
import dev.mailops.mailbox.command.ChangeBasicFee;
import dev.mailops.mailbox.command.MailboxCommands;
import dev.mailops.mailbox.query.MailboxQueries;
import dev.mailops.mailbox.query.TenantSettingsView;

/** The tenant's basic fee plan; it applies to all of the tenant's mailboxes. */
@Path("/api/v1/basic-fee")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class BasicFeeResource {

    @Inject
    MailboxCommands commands;
    @Inject
    MailboxQueries queries;
    @Inject
    Catalog catalog;
    @Inject
    Caller caller;

    @GET
    public Responses.BasicFee get() {
        var settings = queries.settings(caller.tenantId());
        Catalog.BasicFeePlan plan = settings.map(s -> catalog.basicFee(s.basicFeePlan).orElseThrow())
                .orElse(catalog.defaultBasicFee());
        return new Responses.BasicFee(plan.id(), plan.name(), plan.monthlyNetPrice(), catalog.currency(),
                plan.providerSupport(), plan.description(), settings.map(s -> s.changedAt).orElse(null));
    }

    @PUT
    @RolesAllowed("admin")
    public Responses.BasicFee change(ChangeBasicFee command) {
        MailboxResource.requireBody(command);
        commands.changeBasicFee(command, CallerMetadata.of(caller));
        return get();
    }
}
