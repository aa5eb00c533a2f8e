package dev.mailops.mailbox.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.security.Authenticated;

import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.web.Caller;
import dev.mailops.mailbox.command.DkimCommands;
import dev.mailops.mailbox.command.MailboxCommands;
import dev.mailops.mailbox.dkim.DkimSettings;
import dev.mailops.mailbox.domain.DomainName;
import dev.mailops.mailbox.domain.InvalidValue;
import dev.mailops.mailbox.query.DkimQueries;
import dev.mailops.mailbox.query.MailboxQueries;

/** The tenant's mail domains: the domains its mailboxes and aliases can be created at. */
@Path("/api/v1/domains")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class DomainResource {

    @Inject
    MailboxCommands commands;
    @Inject
    MailboxQueries queries;
    @Inject
    DkimCommands dkimCommands;
    @Inject
    DkimQueries dkimQueries;
    @Inject
    DkimSettings dkimSettings;
    @Inject
    Caller caller;

    @GET
    public List<Responses.Domain> list() {
        return queries.domains(caller.tenantId()).stream().map(Responses.Domain::of).toList();
    }

    @GET
    @Path("/{domain}")
    public Responses.Domain get(@PathParam("domain") String domain) {
        return queries.domain(normalised(domain))
                .filter(found -> found.tenantId.equals(caller.tenantId()))
                .map(Responses.Domain::of)
                .orElseThrow(() -> new NotFoundException("No domain " + domain));
    }

    /** Idempotent: 201 when the domain was registered now, 200 when the tenant had it already. */
    @PUT
    @Path("/{domain}")
    @RolesAllowed("admin")
    public Response register(@PathParam("domain") String domain) {
        boolean created = commands.registerDomain(domain, CallerMetadata.of(caller));
        Responses.Domain body = get(domain);
        return created ? Response.created(URI.create("/api/v1/domains/" + body.domain())).entity(body).build()
                : Response.ok(body).build();
    }

    @GET
    @Path("/{domain}/dkim")
    @Operation(summary = "The domain's DKIM selectors",
            description = "Each selector's current key (public half and TXT record) with its state: generated (not yet"
                    + " served by every DNS server), published (standby), active (signs), retiring (replaced, still"
                    + " published until retiresAt); and the date of the next scheduled rotation.")
    @APIResponse(responseCode = "200", description = "The selectors")
    @APIResponse(responseCode = "404", description = "No such domain for the tenant")
    public Responses.Dkim dkim(@PathParam("domain") String domain) {
        String name = get(domain).domain();
        return Responses.Dkim.of(name, dkimSettings, dkimQueries.domain(name), dkimQueries.keys(name));
    }

    /** The standby selector signs from now on; the old key stays published for the record's TTL plus the longest delivery delay. */
    @POST
    @Path("/{domain}/dkim/rotate")
    @RolesAllowed("admin")
    @Operation(summary = "Rotate the domain's DKIM key",
            description = "Makes the standby selector sign, once every DNS server serves its key (checked again"
                    + " now). The previous key stays published until retiresAt, then a fresh key replaces it.")
    @APIResponse(responseCode = "200", description = "Rotated; the selectors after the switch")
    @APIResponse(responseCode = "404", description = "No such domain for the tenant")
    @APIResponse(responseCode = "409", description = "/problems/dkim-rotation-not-ready with retryAfter (seconds, also"
            + " as Retry-After): the standby key is not published yet, or the previous rotation's key is not replaced yet")
    public Responses.Dkim rotateDkim(@PathParam("domain") String domain) {
        String name = get(domain).domain();
        dkimCommands.rotate(name, CallerMetadata.of(caller));
        return dkim(name);
    }

    private static String normalised(String domain) {
        try {
            return DomainName.of(domain).name();
        } catch (InvalidValue e) {
            throw new NotFoundException("No domain " + domain);
        }
    }
}
