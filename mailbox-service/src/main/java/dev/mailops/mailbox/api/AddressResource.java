package dev.mailops.mailbox.api;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;

import dev.mailops.kit.errors.FieldErrors;
import dev.mailops.mailbox.address.AddressRegistry;
import dev.mailops.mailbox.domain.EmailAddress;

/** Whether an address can be created now: available, taken, or blocked until a given time. */
@Path("/api/v1/addresses")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class AddressResource {

    @Inject
    AddressRegistry addresses;

    @GET
    @Path("/{address}")
    public Responses.AddressStatus status(@PathParam("address") String address) {
        FieldErrors errors = new FieldErrors();
        EmailAddress parsed = errors.check("address", () -> EmailAddress.parse(address));
        errors.throwIfAny();
        String value = parsed.toString();
        return addresses.find(value)
                .map(claim -> {
                    if (!claim.blocked()) {
                        return new Responses.AddressStatus(value, "TAKEN", null);
                    }
                    if (claim.blockedUntil.isAfter(Instant.now())) {
                        return new Responses.AddressStatus(value, "BLOCKED", claim.blockedUntil);
                    }
                    return new Responses.AddressStatus(value, "AVAILABLE", null); // due; released on next use
                })
                .orElse(new Responses.AddressStatus(value, "AVAILABLE", null));
    }
}
