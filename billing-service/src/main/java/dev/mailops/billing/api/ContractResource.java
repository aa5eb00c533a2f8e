package dev.mailops.billing.api;

import static dev.mailops.billing.api.ContractViews.money;

import java.math.BigDecimal;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.contract.BillingAddress;
import dev.mailops.billing.contract.BillingAddresses;
import dev.mailops.billing.contract.ContractQueries;
import dev.mailops.billing.statement.StatementCalculator;
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
    BillingAddresses billingAddresses;
    @Inject
    Catalog catalog;
    @Inject
    Caller caller;

    /** The current contract; revision 0 with the default plan and no mailboxes before the first change. */
    @GET
    public ContractViews.Contract contract() {
        String tenant = caller.tenantId();
        var contract = queries.contract(tenant);
        var period = queries.currentPeriod(tenant);
        Catalog.BasicFeePlan plan = catalog.basicFee(contract.map(c -> c.basicFeePlan).orElse(catalog.defaultBasicFee().id()))
                .orElse(catalog.defaultBasicFee());
        BigDecimal planPrice = period.map(p -> p.monthlyNetPrice).orElse(plan.monthlyNetPrice());
        var activeLines = queries.activeLines(tenant);
        List<ContractViews.Mailbox> mailboxes = activeLines.stream()
                .map(line -> new ContractViews.Mailbox(line.mailboxId, line.address, line.rate,
                        catalog.rate(line.rate).map(Catalog.Rate::name).orElse(line.rate), money(line.monthlyNetPrice),
                        line.startsAt))
                .toList();
        BigDecimal net = activeLines.stream().map(line -> line.monthlyNetPrice).reduce(planPrice, BigDecimal::add);
        BillingAddress billingAddress = queries.billingAddress(tenant).orElse(null);
        StatementCalculator.Totals totals = StatementCalculator.totals(net, billingAddresses.vatPercent(billingAddress));
        return new ContractViews.Contract(tenant, contract.map(c -> c.revision).orElse(0), catalog.currency(),
                new ContractViews.BasicFee(plan.id(), plan.name(), money(planPrice), plan.providerSupport(),
                        period.map(p -> p.startsAt).orElse(null)),
                mailboxes, money(totals.net()), ContractViews.vat(billingAddresses.vatCountry(billingAddress), totals),
                money(totals.gross()), billingAddress == null ? null : ContractViews.of(billingAddress),
                contract.map(c -> c.updatedAt).orElse(null));
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
