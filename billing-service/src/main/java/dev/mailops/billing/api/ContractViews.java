package dev.mailops.billing.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mailops.billing.contract.BillingAddress;
import dev.mailops.billing.statement.StatementCalculator;

/** The JSON shapes billing-service answers with. Amounts are decimal strings with two places. */
public final class ContractViews {

    private ContractViews() {
    }

    public record BasicFee(String plan, String name, String monthlyNetPrice, boolean providerSupport, Instant since) {
    }

    public record Mailbox(UUID mailboxId, String address, String rate, String rateName, String monthlyNetPrice,
            Instant since) {
    }

    public record Vat(String country, BigDecimal percent, String amount) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Contract(String tenantId, int revision, String currency, BasicFee basicFee, List<Mailbox> mailboxes,
            String monthlyNetTotal, Vat vat, String monthlyGrossTotal, BillingAddressView billingAddress,
            Instant updatedAt) {
    }

    public record Cause(UUID eventId, String type, String subject) {
    }

    public record Revision(int revision, Instant occurredAt, String change, Cause cause, String basicFeePlan,
            int activeMailboxes, String monthlyNetTotal) {
    }

    public record BillingAddressView(String company, String street, String postalCode, String city, String country,
            String email, String vatId, Instant updatedAt) {
    }

    public record StatementLine(String kind, String reference, String description, String priceId,
            String monthlyNetPrice, LocalDate from, LocalDate to, long days, int daysInMonth, String net) {

        static StatementLine of(StatementCalculator.Line line) {
            return new StatementLine(line.kind(), line.reference(), line.description(), line.priceId(),
                    money(line.monthlyNetPrice()), line.from(), line.to(), line.days(), line.daysInMonth(),
                    money(line.net()));
        }
    }

    public record Statement(String tenantId, String month, String currency, int contractRevision,
            List<StatementLine> lines, String netTotal, Vat vat, String grossTotal) {
    }

    static Vat vat(String country, StatementCalculator.Totals totals) {
        return new Vat(country, totals.vatPercent(), money(totals.vat()));
    }

    static BillingAddressView of(BillingAddress a) {
        return new BillingAddressView(a.company, a.street, a.postalCode, a.city, a.country, a.email, a.vatId,
                a.updatedAt);
    }

    static String money(BigDecimal amount) {
        return amount.setScale(StatementCalculator.MONEY_SCALE).toPlainString();
    }
}
