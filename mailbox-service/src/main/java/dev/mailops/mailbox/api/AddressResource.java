package dev.mailops.mailbox.api;

import java.time.Clock;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;

import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.web.Caller;
import dev.mailops.mailbox.address.AddressRegistry;
import dev.mailops.mailbox.domain.EmailAddress;
import dev.mailops.mailbox.domain.FieldViolations;
import dev.mailops.mailbox.query.MailboxQueries;

/** Whether an address at one of the tenant's domains can be created now: available, taken, or blocked until. */
@Path("/api/v1/addresses")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class AddressResource {

    @Inject
    AddressRegistry addresses;
    @Inject
    MailboxQueries queries;
    @Inject
    Caller caller;
    @Inject
    Clock clock;

    @GET
    @Path("/{address}")
    public AddressRegistry.Status status(@PathParam("address") String address) {
        FieldViolations errors = new FieldViolations();
        EmailAddress parsed = errors.check("address", () -> EmailAddress.parse(address));
        errors.throwIfAny();
        if (queries.domain(parsed.domain().name()).filter(d -> d.tenantId.equals(caller.tenantId())).isEmpty()) {
            throw new NotFoundException(parsed.domain() + " is not one of your domains");
        }
        return addresses.status(parsed.toString(), clock.instant());
    }
}
