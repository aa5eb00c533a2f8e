package dev.mailops.billing.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;

import dev.mailops.billing.contract.BillingAddresses;
import dev.mailops.billing.contract.ContractQueries;
import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.web.Caller;

/** The tenant's billing address: its country selects the VAT rate, its email gets the contract notices. */
@Path("/api/v1/contract/billing-address")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class BillingAddressResource {

    /** What {@code PUT /api/v1/contract/billing-address} takes. */
    public record BillingAddressInput(String company, String street, String postalCode, String city, String country,
            String email, String vatId) {
    }

    @Inject
    ContractQueries queries;
    @Inject
    BillingAddresses billingAddresses;
    @Inject
    Caller caller;

    @GET
    public ContractViews.BillingAddressView billingAddress() {
        return queries.billingAddress(caller.tenantId()).map(ContractViews::of)
                .orElseThrow(() -> new NotFoundException("No billing address yet"));
    }

    @PUT
    @RolesAllowed("admin")
    public ContractViews.BillingAddressView setBillingAddress(BillingAddressInput input) {
        return ContractViews.of(billingAddresses.change(caller.tenantId(), input == null ? null
                : new BillingAddresses.Input(input.company(), input.street(), input.postalCode(), input.city(),
                        input.country(), input.email(), input.vatId())));
    }
}
