package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.mailops.billing.contract.rules.ContractHead;
import dev.mailops.kit.jdbc.Database;

/**
 * A tenant's contract head as stored: the table row of {@link ContractHead}, which the rules decide on.
 */
public class Contract {
    public String tenantId;
    public int revision;
    public String basicFeePlan;
    public int activeMailboxes;

    /** The sum of the open lines' monthly net prices. */
    public BigDecimal mailboxesMonthlyNet = BigDecimal.ZERO.setScale(2);

    /** The monthly net price of the open basic fee period. */
    public BigDecimal basicFeeMonthlyNet = BigDecimal.ZERO.setScale(2);
    public Instant createdAt;
    public Instant updatedAt;

    /** The columns {@link #read} reads, in the order of the fields. */
    public static final String COLUMNS = "tenant_id, revision, basic_fee_plan, active_mailboxes, mailboxes_monthly_net, basic_fee_monthly_net, created_at, updated_at";

    public static Contract read(ResultSet row) throws SQLException {
        Contract value = new Contract();
        value.tenantId = row.getString("tenant_id");
        value.revision = row.getInt("revision");
        value.basicFeePlan = row.getString("basic_fee_plan");
        value.activeMailboxes = row.getInt("active_mailboxes");
        value.mailboxesMonthlyNet = row.getBigDecimal("mailboxes_monthly_net");
        value.basicFeeMonthlyNet = row.getBigDecimal("basic_fee_monthly_net");
        value.createdAt = Database.instant(row, "created_at");
        value.updatedAt = Database.instant(row, "updated_at");
        return value;
    }
}
