package dev.mailops.billing.contract.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Contracts held in memory: what the rebuild writes out, and what the rules' tests look at. An ended line
 * or period never changes again, so it is handed on when it ends ({@code endedLines}, {@code endedPeriods})
 * and only what is open stays: memory follows tenants and open mailboxes, not the history's length.
 */
public final class InMemoryContracts implements ContractStore {

    private final Map<String, ContractHead> contracts = new HashMap<>();
    /** The open lines, in the order they were booked. */
    private final Map<UUID, MailboxLine> openLines = new LinkedHashMap<>();
    /** Mailboxes whose last line ended without a next one (deleted), when this store keeps them. */
    private final Set<UUID> endedMailboxes = new HashSet<>();
    private final Predicate<UUID> deleted;
    /** Each tenant's open period. */
    private final Map<String, FeePeriod> openPeriods = new LinkedHashMap<>();
    /** The few rates and the tenants, once each, rather than a copy per line read from an event. */
    private final Map<String, String> shared = new HashMap<>();
    private final Consumer<MailboxLine> endedLines;
    private final Consumer<FeePeriod> endedPeriods;
    private final List<MailboxLine> keptLines = new ArrayList<>();
    private final List<FeePeriod> keptPeriods = new ArrayList<>();

    /** Keeps every line and period, ended ones too ({@link #lines}, {@link #periods}). */
    public InMemoryContracts() {
        this.endedLines = line -> {
            keptLines.add(line);
            if (!line.replaced()) {
                endedMailboxes.add(line.mailboxId());
            }
        };
        this.endedPeriods = keptPeriods::add;
        this.deleted = endedMailboxes::contains;
    }

    /**
     * Hands ended lines and periods on as they end, and keeps only the open ones.
     *
     * @param deleted whether a mailbox's last line ended without a next one (the caller keeps track of
     *        that from the ended lines)
     */
    public InMemoryContracts(Consumer<MailboxLine> endedLines, Consumer<FeePeriod> endedPeriods,
            Predicate<UUID> deleted) {
        this.endedLines = endedLines;
        this.endedPeriods = endedPeriods;
        this.deleted = deleted;
    }

    @Override
    public ContractHead contract(String tenantId) {
        return contracts.get(tenantId);
    }

    @Override
    public boolean known(UUID mailboxId) {
        return openLines.containsKey(mailboxId) || deleted.test(mailboxId);
    }

    @Override
    public MailboxLine openLine(UUID mailboxId) {
        return openLines.get(mailboxId);
    }

    @Override
    public void put(ContractHead contract) {
        contracts.put(contract.tenantId(), contract);
    }

    @Override
    public void endOpenLine(UUID mailboxId, Instant at, boolean replaced) {
        endedLines.accept(openLines.remove(mailboxId).endedAt(at, replaced));
    }

    @Override
    public void add(MailboxLine line) {
        openLines.put(line.mailboxId(), new MailboxLine(line.mailboxId(), shared(line.tenantId()), line.address(),
                shared(line.rate()), line.monthlyNetPrice(), line.startsAt(), line.endsAt(), line.replaced()));
    }

    private String shared(String value) {
        return shared.computeIfAbsent(value, v -> v);
    }

    @Override
    public void endOpenPeriod(String tenantId, Instant at) {
        endedPeriods.accept(openPeriods.remove(tenantId).endedAt(at));
    }

    @Override
    public void add(FeePeriod period) {
        openPeriods.put(period.tenantId(), period);
    }

    public Collection<ContractHead> contracts() {
        return contracts.values();
    }

    /** The lines still held: those kept as they ended (in that order), then the open ones as booked. */
    public List<MailboxLine> lines() {
        List<MailboxLine> lines = new ArrayList<>(keptLines);
        lines.addAll(openLines.values());
        return lines;
    }

    /** The basic fee periods still held: those kept as they ended, then the open ones. */
    public List<FeePeriod> periods() {
        List<FeePeriod> periods = new ArrayList<>(keptPeriods);
        periods.addAll(openPeriods.values());
        return periods;
    }
}
