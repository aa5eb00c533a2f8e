package dev.mailops.billing.api;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.security.Authenticated;

import dev.mailops.kit.errors.ValidationException;
import dev.mailops.kit.web.Caller;

/** A month's statement of the tenant's contract: the plan periods and mailboxes of the month, pro-rated, with VAT. */
@Path("/api/v1/contract/statements")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class StatementResource {

    @Inject
    StatementJson statementJson;
    @Inject
    Caller caller;

    /** Written as it is read ({@link StatementJson}): a statement may list thousands of mailboxes. */
    @GET
    @Path("/{month}")
    @APIResponse(responseCode = "200", description = "The month's statement", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContractViews.Statement.class)))
    public Response statement(@PathParam("month") String monthText) {
        YearMonth month;
        try {
            month = YearMonth.parse(monthText);
        } catch (DateTimeParseException e) {
            throw ValidationException.of("month", "must be a month as yyyy-MM, e.g. 2026-11");
        }
        StatementJson.Head head = statementJson.head(caller.tenantId(), month);
        StreamingOutput json = out -> statementJson.write(head, out);
        return Response.ok(json, MediaType.APPLICATION_JSON).build();
    }
}
