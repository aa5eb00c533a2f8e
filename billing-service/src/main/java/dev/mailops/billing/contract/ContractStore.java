package dev.mailops.billing.contract;

import java.util.UUID;

/**
 * Where {@link ContractRules} find and keep contracts: the database while consuming live
 * ({@link ContractLedger}), memory while rebuilding from the topic ({@link ContractRebuild}). The rules
 * change the objects they get in place; a store only has to find them and take new ones.
 */
interface ContractStore {

    /** The tenant's contract, or null before its first billed event. */
    Contract contract(String tenantId);

    /** The mailbox's line, or null. */
    ContractLine line(UUID mailboxId);

    /** The tenant's open basic fee period (a contract always has one). */
    BasicFeePeriod openPeriod(String tenantId);

    void add(Contract contract);

    void add(ContractLine line);

    void add(BasicFeePeriod period);

    void add(ContractRevision revision);
}
