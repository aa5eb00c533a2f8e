package dev.mailops.mailbox.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import dev.mailops.kit.jdbc.Database;

/** An alias of a live mailbox; kept by {@link Projector}. */
public class AliasView {
    public String address;
    public UUID mailboxId;
    public String tenantId;
    public Instant createdAt;

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "address, mailbox_id, tenant_id, created_at";

    static AliasView read(ResultSet row) throws SQLException {
        AliasView alias = new AliasView();
        alias.address = row.getString("address");
        alias.mailboxId = row.getObject("mailbox_id", UUID.class);
        alias.tenantId = row.getString("tenant_id");
        alias.createdAt = Database.instant(row, "created_at");
        return alias;
    }
}
