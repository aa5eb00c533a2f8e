package dev.mailops.mailbox.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;

import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.web.Caller;
import dev.mailops.mailbox.command.MailboxCommands;
import dev.mailops.mailbox.domain.DomainName;
import dev.mailops.mailbox.domain.InvalidValue;
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

    private static String normalised(String domain) {
        try {
            return DomainName.of(domain).name();
        } catch (InvalidValue e) {
            throw new NotFoundException("No domain " + domain);
        }
    }
}
