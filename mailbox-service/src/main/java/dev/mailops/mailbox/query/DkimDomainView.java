package dev.mailops.mailbox.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.mailops.kit.jdbc.Database;

/** A domain's DKIM agenda: when the key keeper next has a step to take, and since when its selector signs. */
public class DkimDomainView {
    public String domain;
    public String tenantId;
    /** Null when nothing is pending. */
    public Instant nextStepAt;
    public String activeSelector;
    public Instant activatedAt;

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "domain, tenant_id, next_step_at, active_selector, activated_at";

    static DkimDomainView read(ResultSet row) throws SQLException {
        DkimDomainView view = new DkimDomainView();
        view.domain = row.getString("domain");
        view.tenantId = row.getString("tenant_id");
        view.nextStepAt = Database.instant(row, "next_step_at");
        view.activeSelector = row.getString("active_selector");
        view.activatedAt = Database.instant(row, "activated_at");
        return view;
    }
}
