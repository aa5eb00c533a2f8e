package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import dev.mailops.billing.contract.rules.Revision;
import dev.mailops.kit.jdbc.Database;

/** One change of a contract and the mailbox event that caused it, as stored: the table row of {@link Revision}. */
public class ContractRevision {
    public Long id;
    public String tenantId;
    public int revision;
    public UUID causeEventId;
    public String causeEventType;
    public String causeSubject;
    public Instant occurredAt;
    public String change;
    public String basicFeePlan;
    public int activeMailboxes;
    public BigDecimal monthlyNetTotal;

    static ContractRevision of(Revision value) {
        ContractRevision revision = new ContractRevision();
        revision.tenantId = value.tenantId();
        revision.revision = value.revision();
        revision.causeEventId = value.causeEventId();
        revision.causeEventType = value.causeEventType();
        revision.causeSubject = value.causeSubject();
        revision.occurredAt = value.occurredAt();
        revision.change = value.change();
        revision.basicFeePlan = value.basicFeePlan();
        revision.activeMailboxes = value.activeMailboxes();
        revision.monthlyNetTotal = value.monthlyNetTotal();
        return revision;
    }

    /** The columns {@link #read} reads, in the order of the fields. */
    public static final String COLUMNS = "id, tenant_id, revision, cause_event_id, cause_event_type, cause_subject, occurred_at, change, basic_fee_plan, active_mailboxes, monthly_net_total";

    public static ContractRevision read(ResultSet row) throws SQLException {
        ContractRevision value = new ContractRevision();
        value.id = row.getLong("id");
        value.tenantId = row.getString("tenant_id");
        value.revision = row.getInt("revision");
        value.causeEventId = row.getObject("cause_event_id", UUID.class);
        value.causeEventType = row.getString("cause_event_type");
        value.causeSubject = row.getString("cause_subject");
        value.occurredAt = Database.instant(row, "occurred_at");
        value.change = row.getString("change");
        value.basicFeePlan = row.getString("basic_fee_plan");
        value.activeMailboxes = row.getInt("active_mailboxes");
        value.monthlyNetTotal = row.getBigDecimal("monthly_net_total");
        return value;
    }
}
