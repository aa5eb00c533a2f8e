package dev.mailops.gateway.users;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import dev.mailops.kit.jdbc.Database;

/**
 * A system user of a tenant, or an operator of the platform (table {@code gateway_user}). Its bcrypt
 * password hash is not part of it: only {@link UserPasswords} reads it, to check a login.
 *
 * @param roles comma-separated: {@code admin}, {@code user} (a tenant's users), or {@code operator} (the platform's)
 * @param tenantId the user's tenant; none for an operator
 */
public record GatewayUser(String username, String roles, String tenantId, boolean enabled, Instant passwordChangedAt,
        String displayName, Instant createdAt) {

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "username, roles, tenant_id, enabled, password_changed_at, display_name, created_at";

    static GatewayUser read(ResultSet row) throws SQLException {
        return new GatewayUser(row.getString("username"), row.getString("roles"), row.getString("tenant_id"),
                row.getBoolean("enabled"), Database.instant(row, "password_changed_at"), row.getString("display_name"),
                Database.instant(row, "created_at"));
    }

    /** The roles, in the order stored. */
    public List<String> roleList() {
        return roleList(roles);
    }

    /** The stored comma-separated roles as a list. */
    static List<String> roleList(String roles) {
        return Arrays.stream(roles.split(",")).map(String::strip).filter(role -> !role.isEmpty()).toList();
    }

    GatewayUser withEnabled(boolean enabled) {
        return new GatewayUser(username, roles, tenantId, enabled, passwordChangedAt, displayName, createdAt);
    }
}
