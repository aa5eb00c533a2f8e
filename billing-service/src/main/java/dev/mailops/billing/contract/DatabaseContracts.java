package dev.mailops.billing.contract;

import static dev.mailops.kit.jdbc.Database.instant;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mailops.billing.contract.rules.ContractHead;
import dev.mailops.billing.contract.rules.ContractStore;
import dev.mailops.billing.contract.rules.FeePeriod;
import dev.mailops.billing.contract.rules.MailboxLine;
import dev.mailops.kit.jdbc.Database;

/**
 * The contracts in PostgreSQL, as the rules see them, one statement per call on the caller's transaction
 * (its connection). Plain JDBC written for this path: Hibernate's per-entity work (persistence context,
 * dirty checks, flushes) was about half of billing-service's CPU per event (docs/performance.md), and the
 * service has since dropped Hibernate ORM altogether.
 */
@ApplicationScoped
class DatabaseContracts implements ContractStore {

    private static final String CONTRACT = """
            select revision, basic_fee_plan, active_mailboxes, mailboxes_monthly_net, basic_fee_monthly_net,
                   created_at, updated_at
              from contract where tenant_id = ?""";
    private static final String KNOWN = "select exists (select 1 from contract_line where mailbox_id = ?)";
    private static final String OPEN_LINE = """
            select tenant_id, address, rate, monthly_net_price, starts_at, ends_at, replaced
              from contract_line where mailbox_id = ? and ends_at is null""";
    private static final String PUT_CONTRACT = """
            insert into contract (tenant_id, revision, basic_fee_plan, active_mailboxes, mailboxes_monthly_net,
                                  basic_fee_monthly_net, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (tenant_id) do update
               set revision = excluded.revision, basic_fee_plan = excluded.basic_fee_plan,
                   active_mailboxes = excluded.active_mailboxes, mailboxes_monthly_net = excluded.mailboxes_monthly_net,
                   basic_fee_monthly_net = excluded.basic_fee_monthly_net, created_at = excluded.created_at,
                   updated_at = excluded.updated_at""";
    private static final String END_OPEN_LINE =
            "update contract_line set ends_at = ?, replaced = ? where mailbox_id = ? and ends_at is null";
    private static final String ADD_LINE = """
            insert into contract_line (mailbox_id, tenant_id, address, rate, monthly_net_price, starts_at, ends_at, replaced)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String END_OPEN_PERIOD =
            "update basic_fee_period set ends_at = ? where tenant_id = ? and ends_at is null";
    private static final String ADD_PERIOD = """
            insert into basic_fee_period (tenant_id, plan, monthly_net_price, starts_at, ends_at)
            values (?, ?, ?, ?, ?)""";
    private static final String ADD_REVISION = """
            insert into contract_revision (tenant_id, revision, cause_event_id, cause_event_type, cause_subject,
                                           occurred_at, change, basic_fee_plan, active_mailboxes, monthly_net_total)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    @Inject
    Database database;

    @Override
    public ContractHead contract(String tenantId) {
        return database.first(CONTRACT, rows -> new ContractHead(tenantId, rows.getInt(1), rows.getString(2),
                rows.getInt(3), rows.getBigDecimal(4), rows.getBigDecimal(5), instant(rows, 6), instant(rows, 7)),
                tenantId).orElse(null);
    }

    @Override
    public boolean known(UUID mailboxId) {
        return database.first(KNOWN, rows -> rows.getBoolean(1), mailboxId).orElseThrow();
    }

    @Override
    public MailboxLine openLine(UUID mailboxId) {
        return database.first(OPEN_LINE, rows -> new MailboxLine(mailboxId, rows.getString(1), rows.getString(2),
                rows.getString(3), rows.getBigDecimal(4), instant(rows, 5), instant(rows, 6), rows.getBoolean(7)),
                mailboxId).orElse(null);
    }

    @Override
    public void put(ContractHead c) {
        database.update(PUT_CONTRACT, c.tenantId(), c.revision(), c.basicFeePlan(), c.activeMailboxes(),
                c.mailboxesMonthlyNet(), c.basicFeeMonthlyNet(), c.createdAt(), c.updatedAt());
    }

    @Override
    public void endOpenLine(UUID mailboxId, Instant at, boolean replaced) {
        exactlyOne(database.update(END_OPEN_LINE, at, replaced, mailboxId), "open line of mailbox " + mailboxId);
    }

    @Override
    public void add(MailboxLine l) {
        database.update(ADD_LINE, l.mailboxId(), l.tenantId(), l.address(), l.rate(), l.monthlyNetPrice(), l.startsAt(),
                l.endsAt(), l.replaced());
    }

    @Override
    public void endOpenPeriod(String tenantId, Instant at) {
        exactlyOne(database.update(END_OPEN_PERIOD, at, tenantId), "open basic fee period of tenant " + tenantId);
    }

    @Override
    public void add(FeePeriod p) {
        database.update(ADD_PERIOD, p.tenantId(), p.plan(), p.monthlyNetPrice(), p.startsAt(), p.endsAt());
    }

    /** Keeps a revision the rules made. */
    void add(ContractRevision r) {
        database.update(ADD_REVISION, r.tenantId, r.revision, r.causeEventId, r.causeEventType, r.causeSubject,
                r.occurredAt, r.change, r.basicFeePlan, r.activeMailboxes, r.monthlyNetTotal);
    }

    /** The rules only end what is open: anything else is a broken projection, never to be passed over. */
    private static void exactlyOne(int rows, String what) {
        if (rows != 1) {
            throw new IllegalStateException("Expected exactly one " + what + ", found " + rows);
        }
    }
}
