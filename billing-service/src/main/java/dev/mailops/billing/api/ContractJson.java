package dev.mailops.billing.api;

import static dev.mailops.billing.api.ContractViews.money;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.contract.BillingAddress;
import dev.mailops.billing.contract.BillingAddresses;
import dev.mailops.billing.contract.ContractLine;
import dev.mailops.billing.contract.ContractQueries;
import dev.mailops.billing.statement.StatementCalculator;

/**
 * Writes a tenant's current contract ({@link ContractViews.Contract}) as JSON, its mailboxes a page at a
 * time ({@link Pages}). A contract lists every mailbox of the tenant; built whole before it was written,
 * eight concurrent reads of a contract of 8,521 mailboxes ran the service's 96 MB heap out. The totals are
 * those of the mailboxes listed.
 */
@ApplicationScoped
class ContractJson {

    @Inject
    ContractQueries queries;
    @Inject
    BillingAddresses billingAddresses;
    @Inject
    Catalog catalog;
    @Inject
    ObjectMapper objectMapper;

    /**
     * What the contract shows before its mailboxes, and its first page of them, read first so that a failure
     * is still an error response.
     */
    record Head(String tenant, int revision, ContractViews.BasicFee basicFee, BigDecimal planPrice,
            BillingAddress billingAddress, Instant updatedAt, List<ContractLine> firstPage) {

        /** All of the contract: fewer mailboxes than a page, the usual case. */
        boolean whole() {
            return firstPage.size() < Pages.SIZE;
        }
    }

    /**
     * The contract of a {@link Head#whole() whole} head as one value, answered with its length in one write:
     * streamed, even a short contract went out in chunks, which cost billing-service, the gateway and the
     * client each more than the contract itself.
     */
    ContractViews.Contract contract(Head head) {
        BigDecimal net = head.planPrice();
        List<ContractViews.Mailbox> mailboxes = new ArrayList<>();
        for (ContractLine line : head.firstPage()) {
            mailboxes.add(mailbox(line));
            net = net.add(line.monthlyNetPrice);
        }
        StatementCalculator.Totals totals = StatementCalculator.totals(net,
                billingAddresses.vatPercent(head.billingAddress()));
        return new ContractViews.Contract(head.tenant(), head.revision(), catalog.currency(), head.basicFee(), mailboxes,
                money(totals.net()), ContractViews.vat(billingAddresses.vatCountry(head.billingAddress()), totals),
                money(totals.gross()), head.billingAddress() == null ? null : ContractViews.of(head.billingAddress()),
                head.updatedAt());
    }

    void write(Head head, OutputStream out) throws IOException {
        String tenant = head.tenant();
        try (JsonGenerator json = objectMapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("tenantId", tenant);
            json.writeNumberField("revision", head.revision());
            json.writeStringField("currency", catalog.currency());
            json.writeObjectField("basicFee", head.basicFee());
            json.writeArrayFieldStart("mailboxes");
            BigDecimal[] net = {head.planPrice()};
            Pages.writeAll(head.firstPage(), (ContractLine after) -> queries.activeLinesAfter(tenant, after, Pages.SIZE),
                    json, line -> {
                        json.writeObject(mailbox(line));
                        net[0] = net[0].add(line.monthlyNetPrice);
                    });
            json.writeEndArray();
            StatementCalculator.Totals totals = StatementCalculator.totals(net[0],
                    billingAddresses.vatPercent(head.billingAddress()));
            json.writeStringField("monthlyNetTotal", money(totals.net()));
            json.writeObjectField("vat", ContractViews.vat(billingAddresses.vatCountry(head.billingAddress()), totals));
            json.writeStringField("monthlyGrossTotal", money(totals.gross()));
            if (head.billingAddress() != null) {
                json.writeObjectField("billingAddress", ContractViews.of(head.billingAddress()));
            }
            if (head.updatedAt() != null) {
                json.writeObjectField("updatedAt", head.updatedAt());
            }
            json.writeEndObject();
        }
    }

    /** Revision 0 with the default plan and no mailboxes before the first change. */
    Head head(String tenant) {
        return QuarkusTransaction.requiringNew().call(() -> headNow(tenant));
    }

    private Head headNow(String tenant) {
        var contract = queries.contract(tenant);
        var period = queries.currentPeriod(tenant);
        Catalog.BasicFeePlan plan = catalog.basicFee(contract.map(c -> c.basicFeePlan).orElse(catalog.defaultBasicFee().id()))
                .orElse(catalog.defaultBasicFee());
        BigDecimal planPrice = period.map(p -> p.monthlyNetPrice).orElse(plan.monthlyNetPrice());
        return new Head(tenant, contract.map(c -> c.revision).orElse(0),
                new ContractViews.BasicFee(plan.id(), plan.name(), money(planPrice), plan.providerSupport(),
                        period.map(p -> p.startsAt).orElse(null)),
                planPrice, queries.billingAddress(tenant).orElse(null), contract.map(c -> c.updatedAt).orElse(null),
                queries.activeLinesAfter(tenant, null, Pages.SIZE));
    }

    private ContractViews.Mailbox mailbox(ContractLine line) {
        return new ContractViews.Mailbox(line.mailboxId, line.address, line.rate,
                catalog.rate(line.rate).map(Catalog.Rate::name).orElse(line.rate), money(line.monthlyNetPrice),
                line.startsAt);
    }
}
