package dev.mailops.billing.contract.rules;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant's contract head: the booked basic fee plan, the revision raised by every change, and the
 * running totals a revision reports (kept here so that a change never sums the tenant's lines).
 *
 * @param mailboxesMonthlyNet the sum of the open lines' monthly net prices
 * @param basicFeeMonthlyNet  the monthly net price of the open basic fee period
 */
public record ContractHead(String tenantId, int revision, String basicFeePlan, int activeMailboxes,
        BigDecimal mailboxesMonthlyNet, BigDecimal basicFeeMonthlyNet, Instant createdAt, Instant updatedAt) {

    /** A contract as it opens: revision 0, no mailboxes, on the given plan. */
    static ContractHead opened(String tenantId, String plan, BigDecimal planPrice, Instant at) {
        return new ContractHead(tenantId, 0, plan, 0, BigDecimal.ZERO.setScale(2), planPrice, at, at);
    }

    public BigDecimal monthlyNetTotal() {
        return mailboxesMonthlyNet.add(basicFeeMonthlyNet);
    }

    ContractHead withMailboxAdded(BigDecimal price) {
        return new ContractHead(tenantId, revision, basicFeePlan, activeMailboxes + 1, mailboxesMonthlyNet.add(price),
                basicFeeMonthlyNet, createdAt, updatedAt);
    }

    ContractHead withMailboxRemoved(BigDecimal price) {
        return new ContractHead(tenantId, revision, basicFeePlan, activeMailboxes - 1,
                mailboxesMonthlyNet.subtract(price), basicFeeMonthlyNet, createdAt, updatedAt);
    }

    ContractHead withMailboxRepriced(BigDecimal oldPrice, BigDecimal newPrice) {
        return new ContractHead(tenantId, revision, basicFeePlan, activeMailboxes,
                mailboxesMonthlyNet.subtract(oldPrice).add(newPrice), basicFeeMonthlyNet, createdAt, updatedAt);
    }

    ContractHead withPlan(String plan, BigDecimal price) {
        return new ContractHead(tenantId, revision, plan, activeMailboxes, mailboxesMonthlyNet, price, createdAt,
                updatedAt);
    }

    ContractHead revisedAt(Instant at) {
        return new ContractHead(tenantId, revision + 1, basicFeePlan, activeMailboxes, mailboxesMonthlyNet,
                basicFeeMonthlyNet, createdAt, at);
    }
}
