package dev.mailops.gateway.sessions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import dev.mailops.kit.jdbc.Database;

/** One refresh token of a session (a family), as stored in {@code gateway_refresh_token}: only its SHA-256 hash. */
record RefreshToken(String tokenHash, UUID familyId, String username, String tenantId, Instant issuedAt,
        Instant expiresAt, Instant usedAt, Instant revokedAt) {

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "token_hash, family_id, username, tenant_id, issued_at, expires_at, used_at, revoked_at";

    static RefreshToken read(ResultSet row) throws SQLException {
        return new RefreshToken(row.getString("token_hash"), row.getObject("family_id", UUID.class),
                row.getString("username"), row.getString("tenant_id"), Database.instant(row, "issued_at"),
                Database.instant(row, "expires_at"), Database.instant(row, "used_at"),
                Database.instant(row, "revoked_at"));
    }

    @Override
    public String toString() {
        return "RefreshToken[" + username + ", family " + familyId + "]";
    }
}
