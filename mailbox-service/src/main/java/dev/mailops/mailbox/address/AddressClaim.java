package dev.mailops.mailbox.address;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import dev.mailops.kit.jdbc.Database;

/** An address in use by a mailbox or alias ({@code blockedUntil} null), or in quarantine after deletion. */
public class AddressClaim {

    public enum Kind {
        MAILBOX, ALIAS
    }

    public String address;
    public String tenantId;
    public UUID mailboxId;
    public Kind kind;
    public Instant blockedUntil;

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "address, tenant_id, mailbox_id, kind, blocked_until";

    static AddressClaim read(ResultSet row) throws SQLException {
        AddressClaim claim = new AddressClaim();
        claim.address = row.getString("address");
        claim.tenantId = row.getString("tenant_id");
        claim.mailboxId = row.getObject("mailbox_id", UUID.class);
        claim.kind = Kind.valueOf(row.getString("kind"));
        claim.blockedUntil = Database.instant(row, "blocked_until");
        return claim;
    }

    public boolean blocked() {
        return blockedUntil != null;
    }
}
