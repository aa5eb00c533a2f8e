package dev.mailops.mailbox.api;

import java.net.URI;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
import dev.mailops.mailbox.domain.FieldViolations;
import dev.mailops.mailbox.domain.InvalidValue;
import dev.mailops.mailbox.query.DkimQueries;
import dev.mailops.mailbox.ownership.DomainVerificationSettings;
import dev.mailops.mailbox.query.MailDomainView;
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
    DomainVerificationSettings verification;
    @Inject
    Caller caller;

    @GET
    @Operation(summary = "The tenant's domains, a page at a time, by name",
            description = "page from 0 to 100000, size from 1 to 100 (default 20); 400 naming the field otherwise.")
    public Responses.Page<Responses.Domain> list(@QueryParam("page") @DefaultValue("0") String page,
            @QueryParam("size") @DefaultValue("20") String size) {
        FieldViolations errors = new FieldViolations();
        Integer pageNumber = errors.check("page", () -> MailboxResource.number(page, 0, MailboxResource.MAX_PAGE));
        Integer pageSize = errors.check("size", () -> MailboxResource.number(size, 1, MailboxResource.MAX_PAGE_SIZE));
        errors.throwIfAny();
        var found = queries.domains(caller.tenantId(), pageNumber, pageSize);
        return new Responses.Page<>(found.items().stream().map(this::answer).toList(), found.page(),
                found.size(), found.totalItems(), found.totalPages());
    }

    @GET
    @Path("/{domain}")
    public Responses.Domain get(@PathParam("domain") String domain) {
        return queries.domain(normalised(domain))
                .filter(found -> found.tenantId.equals(caller.tenantId()))
                .map(this::answer)
                .orElseThrow(() -> new NotFoundException("No domain " + domain));
    }

    private Responses.Domain answer(MailDomainView view) {
        return Responses.Domain.of(view, verification.claimLifetime());
    }

    /**
     * Idempotent: 201 when the domain was registered now, 200 when the tenant had it already. The domain
     * is pending until proven (see {@link #verify}).
     */
    @PUT
    @Path("/{domain}")
    @RolesAllowed("admin")
    @Operation(summary = "Register a domain",
            description = "The domain is pending until the tenant proves it: create the TXT record of"
                    + " verification.record, then POST /verify (a scheduled check also looks for it). Until then"
                    + " the DNS server does not serve it and the mail host accepts no mail for it. Unproven at"
                    + " verification.claimExpiresAt, the claim expires with everything prepared under it.")
    @APIResponse(responseCode = "201", description = "Registered now (pending, or verified when the deployment asks for no proof)")
    @APIResponse(responseCode = "200", description = "The tenant had it already")
    @APIResponse(responseCode = "409", description = "/problems/domain-taken, /problems/domain-nested (another customer's"
            + " domain is its parent or child) or /problems/domain-reserved (reserved, a public suffix or the"
            + " provider's own name) or /problems/domain-claim-expired (the tenant's own claim expired unproven;"
            + " availableAt says from when it may claim the name again); each names the field domain")
    public Response register(@PathParam("domain") String domain) {
        boolean created = commands.registerDomain(domain, CallerMetadata.of(caller));
        Responses.Domain body = get(domain);
        return created ? Response.created(URI.create("/api/v1/domains/" + body.domain())).entity(body).build()
                : Response.ok(body).build();
    }

    /** Looks for the proof record now. */
    @POST
    @Path("/{domain}/verify")
    @RolesAllowed("admin")
    @Operation(summary = "Check the domain's verification record now",
            description = "Looks for the TXT record mailops-verification=<token> at _mailops-verification.<domain>"
                    + " through the deployment's resolvers; the domain is verified when every one of them finds it.")
    @APIResponse(responseCode = "200", description = "Verified (now or before); the domain")
    @APIResponse(responseCode = "404", description = "No such domain for the tenant")
    @APIResponse(responseCode = "409", description = "/problems/domain-not-verified with recordName, recordType and"
            + " recordValue: the record to create")
    public Responses.Domain verify(@PathParam("domain") String domain) {
        // The command checks the owner; reading the domain first would keep its pending state in this request.
        String name = normalised(domain);
        commands.verifyDomain(name, CallerMetadata.of(caller));
        return get(name);
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
        return Responses.Dkim.of(name, dkimSettings, dkimQueries.keys(name));
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
