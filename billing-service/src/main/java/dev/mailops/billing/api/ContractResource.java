package dev.mailops.billing.api;

import static dev.mailops.billing.api.ContractViews.money;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.security.Authenticated;

import dev.mailops.billing.contract.ContractQueries;
import dev.mailops.kit.errors.ValidationException;
import dev.mailops.kit.web.Caller;

/** The tenant's contract as it stands, updated by every billed mailbox event, and its revisions. */
@Path("/api/v1/contract")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ContractResource {

    static final int MAX_PAGE = 100_000;
    static final int MAX_PAGE_SIZE = 500;

    @Inject
    ContractQueries queries;
    @Inject
    ContractJson contractJson;
    @Inject
    Caller caller;

    /**
     * The current contract; revision 0 with the default plan and no mailboxes before the first change.
     * Answered whole when it has fewer mailboxes than a page, else written as it is read ({@link ContractJson}):
     * a contract may list thousands of mailboxes.
     */
    @GET
    @APIResponse(responseCode = "200", description = "The current contract", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContractViews.Contract.class)))
    public Response contract() {
        ContractJson.Head head = contractJson.head(caller.tenantId());
        if (head.whole()) {
            return Response.ok(contractJson.contract(head), MediaType.APPLICATION_JSON).build();
        }
        StreamingOutput json = out -> contractJson.write(head, out);
        return Response.ok(json, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/revisions")
    public List<ContractViews.Revision> revisions(@QueryParam("page") @DefaultValue("0") String page,
            @QueryParam("size") @DefaultValue("50") String size) {
        int pageNumber = bounded("page", page, 0, MAX_PAGE);
        int pageSize = bounded("size", size, 1, MAX_PAGE_SIZE);
        return queries.revisions(caller.tenantId(), pageNumber, pageSize).stream()
                .map(r -> new ContractViews.Revision(r.revision, r.occurredAt, r.change,
                        new ContractViews.Cause(r.causeEventId, r.causeEventType, r.causeSubject), r.basicFeePlan,
                        r.activeMailboxes, money(r.monthlyNetTotal)))
                .toList();
    }

    /** A page number or size as text, checked before any arithmetic: a number out of range is 400 naming its field. */
    private static int bounded(String field, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // not a number, or beyond int: refused below like any other value out of range
        }
        throw ValidationException.of(field, "must be a whole number from " + min + " to " + max);
    }
}
