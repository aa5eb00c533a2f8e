package dev.mailops.billing.api;

import static dev.mailops.billing.api.ContractViews.money;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.contract.BasicFeePeriod;
import dev.mailops.billing.contract.BillingAddress;
import dev.mailops.billing.contract.BillingAddresses;
import dev.mailops.billing.contract.ContractLine;
import dev.mailops.billing.contract.ContractQueries;
import dev.mailops.billing.statement.StatementCalculator;

/**
 * Writes a month's statement ({@link ContractViews.Statement}) as JSON: its basic fee periods, then its
 * mailboxes' lines a page at a time ({@link Pages}). A statement lists every mailbox the tenant had in the
 * month; built whole before it was written, eight concurrent reads of one of 12,004 lines ran the service's
 * 96 MB heap out. The totals are those of the lines listed.
 */
@ApplicationScoped
class StatementJson {

    @Inject
    ContractQueries queries;
    @Inject
    BillingAddresses billingAddresses;
    @Inject
    Catalog catalog;
    @Inject
    ObjectMapper objectMapper;

    @ConfigProperty(name = "billing.timezone", defaultValue = "Europe/Berlin")
    ZoneId zone;

    /** What the statement shows before its mailboxes, read first so that a failure is still an error response. */
    record Head(String tenant, YearMonth month, Instant from, Instant until, int contractRevision,
            List<StatementCalculator.Line> basicFees, BillingAddress billingAddress) {
    }

    Head head(String tenant, YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant until = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        return QuarkusTransaction.requiringNew().call(() -> {
            List<StatementCalculator.Item> fees = queries.periodsOverlapping(tenant, from, until).stream()
                    .map(this::basicFee).toList();
            return new Head(tenant, month, from, until, queries.contract(tenant).map(c -> c.revision).orElse(0),
                    StatementCalculator.lines(fees, month, zone), queries.billingAddress(tenant).orElse(null));
        });
    }

    void write(Head head, OutputStream out) throws IOException {
        try (JsonGenerator json = objectMapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("tenantId", head.tenant());
            json.writeStringField("month", head.month().toString());
            json.writeStringField("currency", catalog.currency());
            json.writeNumberField("contractRevision", head.contractRevision());
            json.writeArrayFieldStart("lines");
            BigDecimal[] net = {BigDecimal.ZERO.setScale(StatementCalculator.MONEY_SCALE)};
            for (StatementCalculator.Line fee : head.basicFees()) {
                json.writeObject(ContractViews.StatementLine.of(fee));
                net[0] = net[0].add(fee.net());
            }
            Pages.writeAll((ContractLine after) -> queries.linesOverlappingAfter(head.tenant(), head.from(), head.until(), after,
                    Pages.SIZE), json, mailbox -> {
                        var line = StatementCalculator.line(mailbox(mailbox), head.month(), zone);
                        if (line.isPresent()) {
                            json.writeObject(ContractViews.StatementLine.of(line.get()));
                            net[0] = net[0].add(line.get().net());
                        }
                    });
            json.writeEndArray();
            StatementCalculator.Totals totals = StatementCalculator.totals(net[0],
                    billingAddresses.vatPercent(head.billingAddress()));
            json.writeStringField("netTotal", money(totals.net()));
            json.writeObjectField("vat", ContractViews.vat(billingAddresses.vatCountry(head.billingAddress()), totals));
            json.writeStringField("grossTotal", money(totals.gross()));
            json.writeEndObject();
        }
    }

    private StatementCalculator.Item basicFee(BasicFeePeriod period) {
        String name = catalog.basicFee(period.plan).map(Catalog.BasicFeePlan::name).orElse(period.plan);
        return new StatementCalculator.Item("BASIC_FEE", period.plan, "Basic fee " + name, period.plan,
                period.monthlyNetPrice, period.startsAt, period.endsAt, false);
    }

    private StatementCalculator.Item mailbox(ContractLine line) {
        String name = catalog.rate(line.rate).map(Catalog.Rate::name).orElse(line.rate);
        return new StatementCalculator.Item("MAILBOX", line.mailboxId.toString(), "Mailbox " + line.address + " ("
                + name + ")", line.rate, line.monthlyNetPrice, line.startsAt, line.endsAt, !line.replaced);
    }
}
