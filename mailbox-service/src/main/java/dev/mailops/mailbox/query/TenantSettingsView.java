package dev.mailops.mailbox.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.mailops.kit.jdbc.Database;

/** The tenant's booked basic fee plan; absent until the tenant first changes it from the default. */
public class TenantSettingsView {
    public String tenantId;
    public String basicFeePlan;
    public Instant changedAt;

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "tenant_id, basic_fee_plan, changed_at";

    static TenantSettingsView read(ResultSet row) throws SQLException {
        TenantSettingsView view = new TenantSettingsView();
        view.tenantId = row.getString("tenant_id");
        view.basicFeePlan = row.getString("basic_fee_plan");
        view.changedAt = Database.instant(row, "changed_at");
        return view;
    }
}
