package dev.mailops.billing.contract;

import java.util.UUID;

/**
 * Reported by {@link ContractLedger} (a CDI event, in the transaction that applied it) when a basic fee
 * change revised a tenant's contract, so that whoever tells the tenant can react without the ledger
 * knowing them.
 */
public record FeeChangeApplied(UUID causeEventId, String tenantId, String oldPlan, String newPlan) {
}
