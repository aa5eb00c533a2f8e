package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.mailops.billing.contract.rules.FeePeriod;
import dev.mailops.kit.jdbc.Database;

/** A span during which one basic fee plan applied, as stored: the table row of {@link FeePeriod}. */
public class BasicFeePeriod {
    public Long id;
    public String tenantId;
    public String plan;
    public BigDecimal monthlyNetPrice;
    public Instant startsAt;
    public Instant endsAt;

    /** The columns {@link #read} reads, in the order of the fields. */
    public static final String COLUMNS = "id, tenant_id, plan, monthly_net_price, starts_at, ends_at";

    public static BasicFeePeriod read(ResultSet row) throws SQLException {
        BasicFeePeriod value = new BasicFeePeriod();
        value.id = row.getLong("id");
        value.tenantId = row.getString("tenant_id");
        value.plan = row.getString("plan");
        value.monthlyNetPrice = row.getBigDecimal("monthly_net_price");
        value.startsAt = Database.instant(row, "starts_at");
        value.endsAt = Database.instant(row, "ends_at");
        return value;
    }
}
