package dev.mailops.billing.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.security.Authenticated;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.catalog.VatRates;

/** The price list: rates (with their alias limits), basic fee plans, and VAT rates. All prices net. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class CatalogResource {

    public record Rate(String id, String name, String monthlyNetPrice, String currency, int aliasLimit, int storageGiB) {
    }

    public record Plan(String id, String name, String monthlyNetPrice, String currency, boolean providerSupport,
            @JsonProperty("default") boolean isDefault, String description) {
    }

    @Inject
    Catalog catalog;

    @Inject
    VatRates vatRates;

    @GET
    @Path("/rates")
    public List<Rate> rates() {
        return catalog.rates().stream().map(r -> new Rate(r.id(), r.name(), ContractViews.money(r.monthlyNetPrice()),
                catalog.currency(), r.aliasLimit(), r.storageGiB())).toList();
    }

    @GET
    @Path("/basic-fees")
    public List<Plan> basicFees() {
        return catalog.basicFees().stream().map(p -> new Plan(p.id(), p.name(), ContractViews.money(p.monthlyNetPrice()),
                catalog.currency(), p.providerSupport(), p.isDefault(), p.description())).toList();
    }

    @GET
    @Path("/vat-rates")
    public Map<String, BigDecimal> vatRates() {
        return vatRates.all();
    }
}
