package dev.mailops.gateway.tenants;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.mailops.kit.jdbc.Database;

/** A customer of the platform, onboarded by an operator (table {@code gateway_tenant}); a disabled tenant's users cannot log in. */
public record Tenant(String id, String displayName, boolean enabled, Instant createdAt, Instant disabledAt) {

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "id, display_name, enabled, created_at, disabled_at";

    static Tenant read(ResultSet row) throws SQLException {
        return new Tenant(row.getString("id"), row.getString("display_name"), row.getBoolean("enabled"),
                Database.instant(row, "created_at"), Database.instant(row, "disabled_at"));
    }
}
