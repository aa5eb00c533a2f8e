package dev.mailops.billing.contract;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mailops.kit.jdbc.Database;

/** Reads of a tenant's contract; every query is scoped to one tenant. */
@ApplicationScoped
public class ContractQueries {

    @Inject
    Database database;

    public Optional<Contract> contract(String tenantId) {
        return database.first("SELECT " + Contract.COLUMNS + " FROM contract WHERE tenant_id = ?", Contract::read,
                tenantId);
    }

    /**
     * Up to {@code limit} of the tenant's open lines after {@code after} (null: from the first), by address:
     * a page of the contract's mailboxes. The row comparison is an index range (V6), where the same
     * condition spelt out with {@code or} filtered the tenant's lines from the first on every page.
     */
    public List<ContractLine> activeLinesAfter(String tenantId, ContractLine after, int limit) {
        return database.list("SELECT " + ContractLine.COLUMNS + """
                 FROM contract_line WHERE tenant_id = ? AND ends_at IS NULL AND (address, mailbox_id) > (?, ?)
                ORDER BY address, mailbox_id LIMIT ?""", ContractLine::read, tenantId,
                after == null ? "" : after.address, after == null ? new UUID(0, 0) : after.mailboxId, limit);
    }

    /**
     * Up to {@code limit} of the tenant's lines active at some point in [from, until), after {@code after}
     * (null: from the first): a page of a statement's mailboxes, by address, a mailbox's lines in the order
     * of their rates (V7's index).
     */
    public List<ContractLine> linesOverlappingAfter(String tenantId, Instant from, Instant until, ContractLine after,
            int limit) {
        return database.list("SELECT " + ContractLine.COLUMNS + """
                 FROM contract_line WHERE tenant_id = ? AND starts_at < ? AND (ends_at IS NULL OR ends_at >= ?)
                AND (address, starts_at, id) > (?, ?, ?) ORDER BY address, starts_at, id LIMIT ?""",
                ContractLine::read, tenantId, until, from, after == null ? "" : after.address,
                after == null ? Instant.EPOCH : after.startsAt, after == null ? 0L : after.id, limit);
    }

    public List<BasicFeePeriod> periodsOverlapping(String tenantId, Instant from, Instant until) {
        return database.list("SELECT " + BasicFeePeriod.COLUMNS + """
                 FROM basic_fee_period WHERE tenant_id = ? AND starts_at < ? AND (ends_at IS NULL OR ends_at >= ?)
                ORDER BY starts_at""", BasicFeePeriod::read, tenantId, until, from);
    }

    public Optional<BasicFeePeriod> currentPeriod(String tenantId) {
        return database.first("SELECT " + BasicFeePeriod.COLUMNS
                + " FROM basic_fee_period WHERE tenant_id = ? AND ends_at IS NULL", BasicFeePeriod::read, tenantId);
    }

    public List<ContractRevision> revisions(String tenantId, int page, int size) {
        return database.list("SELECT " + ContractRevision.COLUMNS
                + " FROM contract_revision WHERE tenant_id = ? ORDER BY revision DESC LIMIT ? OFFSET ?",
                ContractRevision::read, tenantId, size, (long) page * size);
    }

    public Optional<BillingAddress> billingAddress(String tenantId) {
        return database.first("SELECT " + BillingAddress.COLUMNS + " FROM billing_address WHERE tenant_id = ?",
                BillingAddress::read, tenantId);
    }
}
