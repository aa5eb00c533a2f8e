package dev.mailops.billing.contract.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Contracts held in memory: what the rebuild writes out at its end, and what the rules' tests look at. */
public final class InMemoryContracts implements ContractStore {

    private final Map<String, ContractHead> contracts = new HashMap<>();
    private final Map<UUID, MailboxLine> lines = new HashMap<>();
    private final List<FeePeriod> periods = new ArrayList<>();
    /** Where each tenant's open period is in {@link #periods}. */
    private final Map<String, Integer> openPeriods = new HashMap<>();

    @Override
    public ContractHead contract(String tenantId) {
        return contracts.get(tenantId);
    }

    @Override
    public MailboxLine line(UUID mailboxId) {
        return lines.get(mailboxId);
    }

    @Override
    public void put(ContractHead contract) {
        contracts.put(contract.tenantId(), contract);
    }

    @Override
    public void put(MailboxLine line) {
        lines.put(line.mailboxId(), line);
    }

    @Override
    public void endOpenPeriod(String tenantId, Instant at) {
        int index = openPeriods.remove(tenantId);
        periods.set(index, periods.get(index).endedAt(at));
    }

    @Override
    public void add(FeePeriod period) {
        openPeriods.put(period.tenantId(), periods.size());
        periods.add(period);
    }

    public Collection<ContractHead> contracts() {
        return contracts.values();
    }

    public Collection<MailboxLine> lines() {
        return lines.values();
    }

    /** Every basic fee period, in the order they were booked. */
    public List<FeePeriod> periods() {
        return periods;
    }
}
