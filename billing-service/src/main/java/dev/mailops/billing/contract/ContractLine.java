package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import dev.mailops.billing.contract.rules.MailboxLine;
import dev.mailops.kit.jdbc.Database;

/** One mailbox at one rate on the contract as stored: the table row of {@link MailboxLine}. */
public class ContractLine {
    public Long id;
    public UUID mailboxId;
    public String tenantId;
    public String address;
    public String rate;
    public BigDecimal monthlyNetPrice;
    public Instant startsAt;
    public Instant endsAt;

    /** Ended by a rate change: the end day is billed on the next line. */
    public boolean replaced;

    /** The columns {@link #read} reads, in the order of the fields. */
    public static final String COLUMNS = "id, mailbox_id, tenant_id, address, rate, monthly_net_price, starts_at, ends_at, replaced";

    public static ContractLine read(ResultSet row) throws SQLException {
        ContractLine value = new ContractLine();
        value.id = row.getLong("id");
        value.mailboxId = row.getObject("mailbox_id", UUID.class);
        value.tenantId = row.getString("tenant_id");
        value.address = row.getString("address");
        value.rate = row.getString("rate");
        value.monthlyNetPrice = row.getBigDecimal("monthly_net_price");
        value.startsAt = Database.instant(row, "starts_at");
        value.endsAt = Database.instant(row, "ends_at");
        value.replaced = row.getBoolean("replaced");
        return value;
    }
}
