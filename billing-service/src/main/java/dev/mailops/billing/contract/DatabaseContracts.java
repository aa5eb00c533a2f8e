package dev.mailops.billing.contract;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mailops.billing.contract.rules.ContractHead;
import dev.mailops.billing.contract.rules.ContractStore;
import dev.mailops.billing.contract.rules.FeePeriod;
import dev.mailops.billing.contract.rules.MailboxLine;

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
    DataSource dataSource;

    @Override
    public ContractHead contract(String tenantId) {
        return query(CONTRACT, tenantId, rows -> new ContractHead(tenantId, rows.getInt(1), rows.getString(2),
                rows.getInt(3), rows.getBigDecimal(4), rows.getBigDecimal(5), instant(rows, 6), instant(rows, 7)));
    }

    @Override
    public boolean known(UUID mailboxId) {
        return query(KNOWN, mailboxId, rows -> rows.getBoolean(1));
    }

    @Override
    public MailboxLine openLine(UUID mailboxId) {
        return query(OPEN_LINE, mailboxId, rows -> new MailboxLine(mailboxId, rows.getString(1), rows.getString(2),
                rows.getString(3), rows.getBigDecimal(4), instant(rows, 5), instant(rows, 6), rows.getBoolean(7)));
    }

    @Override
    public void put(ContractHead c) {
        update(PUT_CONTRACT, c.tenantId(), c.revision(), c.basicFeePlan(), c.activeMailboxes(), c.mailboxesMonthlyNet(),
                c.basicFeeMonthlyNet(), timestamp(c.createdAt()), timestamp(c.updatedAt()));
    }

    @Override
    public void endOpenLine(UUID mailboxId, Instant at, boolean replaced) {
        exactlyOne(update(END_OPEN_LINE, timestamp(at), replaced, mailboxId), "open line of mailbox " + mailboxId);
    }

    @Override
    public void add(MailboxLine l) {
        update(ADD_LINE, l.mailboxId(), l.tenantId(), l.address(), l.rate(), l.monthlyNetPrice(), timestamp(l.startsAt()),
                timestamp(l.endsAt()), l.replaced());
    }

    @Override
    public void endOpenPeriod(String tenantId, Instant at) {
        exactlyOne(update(END_OPEN_PERIOD, timestamp(at), tenantId), "open basic fee period of tenant " + tenantId);
    }

    @Override
    public void add(FeePeriod p) {
        update(ADD_PERIOD, p.tenantId(), p.plan(), p.monthlyNetPrice(), timestamp(p.startsAt()), timestamp(p.endsAt()));
    }

    /** Keeps a revision the rules made. */
    void add(ContractRevision r) {
        update(ADD_REVISION, r.tenantId, r.revision, r.causeEventId, r.causeEventType, r.causeSubject,
                timestamp(r.occurredAt), r.change, r.basicFeePlan, r.activeMailboxes, r.monthlyNetTotal);
    }

    private interface Row<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(String sql, Object key, Row<T> row) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? row.read(rows) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the contracts", e);
        }
    }

    private int update(String sql, Object... values) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the contracts", e);
        }
    }

    /** The rules only end what is open: anything else is a broken projection, never to be passed over. */
    private static void exactlyOne(int rows, String what) {
        if (rows != 1) {
            throw new IllegalStateException("Expected exactly one " + what + ", found " + rows);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
