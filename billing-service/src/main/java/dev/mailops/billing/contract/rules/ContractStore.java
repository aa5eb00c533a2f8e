package dev.mailops.billing.contract.rules;

import java.time.Instant;
import java.util.UUID;

/**
 * Where {@link ContractRules} find and keep contracts: the database while consuming live, memory
 * while rebuilding from the topic and in the rules' tests ({@link InMemoryContracts}). The rules
 * decide on values; a store only finds them and keeps what it is given.
 */
public interface ContractStore {

    /** The tenant's contract, or null before its first billed event. */
    ContractHead contract(String tenantId);

    /** Whether the mailbox was ever on a contract (has a line, open or ended). */
    boolean known(UUID mailboxId);

    /** The mailbox's open line, or null (unknown, or all its lines ended). */
    MailboxLine openLine(UUID mailboxId);

    /** Keeps the contract, new or changed. */
    void put(ContractHead contract);

    /** Ends the mailbox's open line (there is one); replaced says whether a rate change ended it. */
    void endOpenLine(UUID mailboxId, Instant at, boolean replaced);

    /** Keeps a new, open line; the mailbox has no other open one. */
    void add(MailboxLine line);

    /** Ends the tenant's open basic fee period (a contract always has one). */
    void endOpenPeriod(String tenantId, Instant at);

    /** Keeps a new, open basic fee period. */
    void add(FeePeriod period);
}
