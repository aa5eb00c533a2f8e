package dev.mailops.billing.api;

import static dev.mailops.billing.api.ContractViews.money;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.security.Authenticated;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.contract.BasicFeePeriod;
import dev.mailops.billing.contract.BillingAddress;
import dev.mailops.billing.contract.BillingAddresses;
import dev.mailops.billing.contract.ContractLine;
import dev.mailops.billing.contract.ContractQueries;
import dev.mailops.billing.statement.StatementCalculator;
import dev.mailops.kit.errors.ValidationException;
import dev.mailops.kit.web.Caller;

/** A month's statement of the tenant's contract: the plan periods and mailboxes of the month, pro-rated, with VAT. */
@Path("/api/v1/contract/statements")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class StatementResource {

    @Inject
    ContractQueries queries;
    @Inject
    BillingAddresses billingAddresses;
    @Inject
    Catalog catalog;
    @Inject
    Caller caller;

    @ConfigProperty(name = "billing.timezone", defaultValue = "Europe/Berlin")
    ZoneId zone;

    @GET
    @Path("/{month}")
    public ContractViews.Statement statement(@PathParam("month") String monthText) {
        YearMonth month;
        try {
            month = YearMonth.parse(monthText);
        } catch (DateTimeParseException e) {
            throw ValidationException.of("month", "must be a month as yyyy-MM, e.g. 2026-11");
        }
        String tenant = caller.tenantId();
        Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant until = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        List<StatementCalculator.Item> items = new ArrayList<>();
        for (BasicFeePeriod period : queries.periodsOverlapping(tenant, from, until)) {
            String name = catalog.basicFee(period.plan).map(Catalog.BasicFeePlan::name).orElse(period.plan);
            items.add(new StatementCalculator.Item("BASIC_FEE", period.plan, "Basic fee " + name, period.plan,
                    period.monthlyNetPrice, period.startsAt, period.endsAt, false));
        }
        for (ContractLine line : queries.linesOverlapping(tenant, from, until)) {
            String name = catalog.rate(line.rate).map(Catalog.Rate::name).orElse(line.rate);
            items.add(new StatementCalculator.Item("MAILBOX", line.mailboxId.toString(), "Mailbox " + line.address
                    + " (" + name + ")", line.rate, line.monthlyNetPrice, line.startsAt, line.endsAt, !line.replaced));
        }
        List<StatementCalculator.Line> lines = StatementCalculator.lines(items, month, zone);
        BillingAddress billingAddress = queries.billingAddress(tenant).orElse(null);
        StatementCalculator.Totals totals = StatementCalculator.totals(lines, billingAddresses.vatPercent(billingAddress));
        return new ContractViews.Statement(tenant, month.toString(), catalog.currency(),
                queries.contract(tenant).map(c -> c.revision).orElse(0),
                lines.stream().map(ContractViews.StatementLine::of).toList(), money(totals.net()),
                ContractViews.vat(billingAddresses.vatCountry(billingAddress), totals), money(totals.gross()));
    }
}
