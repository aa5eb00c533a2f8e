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
    private final List<MailboxLine> lines = new ArrayList<>();
    /** Where each mailbox's latest line is in {@link #lines}. */
    private final Map<UUID, Integer> latestLines = new HashMap<>();
    private final List<FeePeriod> periods = new ArrayList<>();
    /** Where each tenant's open period is in {@link #periods}. */
    private final Map<String, Integer> openPeriods = new HashMap<>();

    @Override
    public ContractHead contract(String tenantId) {
        return contracts.get(tenantId);
    }

    @Override
    public MailboxLine line(UUID mailboxId) {
        Integer index = latestLines.get(mailboxId);
        return index == null ? null : lines.get(index);
    }

    @Override
    public void put(ContractHead contract) {
        contracts.put(contract.tenantId(), contract);
    }

    @Override
    public void endOpenLine(UUID mailboxId, Instant at, boolean replaced) {
        int index = latestLines.get(mailboxId);
        lines.set(index, lines.get(index).endedAt(at, replaced));
    }

    @Override
    public void add(MailboxLine line) {
        latestLines.put(line.mailboxId(), lines.size());
        lines.add(line);
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

    /** Every mailbox line, in the order they were booked. */
    public List<MailboxLine> lines() {
        return lines;
    }

    /** Every basic fee period, in the order they were booked. */
    public List<FeePeriod> periods() {
        return periods;
    }
}
