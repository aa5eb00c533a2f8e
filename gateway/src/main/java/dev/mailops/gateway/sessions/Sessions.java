package dev.mailops.gateway.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.mailops.kit.jdbc.Database;

/**
 * Sessions as rotating refresh tokens in the gateway's database, so every instance sees the same state.
 * A login starts a family; each refresh uses up the presented token and issues the next one of the
 * family, which expires with the family ({@code gateway.refresh.lifetime} after the login). A token
 * presented a second time means it was copied: the whole family is revoked. Only SHA-256 hashes of the
 * tokens are stored (they are 256 random bits, so a fast hash is enough).
 */
@ApplicationScoped
public class Sessions {

    private static final Logger LOG = Logger.getLogger(Sessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A refresh token to hand to the client (the only time it exists in clear) and when it expires. */
    public record Issued(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[***, " + expiresAt + "]";
        }
    }

    /** The session a refresh token belonged to, and its successor. */
    public record Rotated(String username, String tenantId, UUID familyId, Issued next) {
    }

    @Inject
    Database database;
    @Inject
    Clock clock;

    @ConfigProperty(name = "gateway.refresh.lifetime", defaultValue = "PT12H")
    Duration lifetime;

    /** Starts a session at login. */
    @Transactional
    public Issued start(String username, String tenantId) {
        Instant now = now();
        return issue(UUID.randomUUID(), username, tenantId, now, now.plus(lifetime));
    }

    /**
     * Uses up the presented token and issues the next of its family; empty when the token is unknown,
     * expired, revoked or already used (reuse, which revokes the family).
     */
    @Transactional
    public Optional<Rotated> rotate(String presented) {
        if (presented == null || presented.isBlank() || presented.length() > 200) {
            return Optional.empty();
        }
        // Locked, so two instances refreshing the same token at once cannot both succeed.
        Optional<RefreshToken> found = database.first("SELECT " + RefreshToken.COLUMNS
                + " FROM gateway_refresh_token WHERE token_hash = ? FOR UPDATE", RefreshToken::read, hash(presented));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RefreshToken token = found.get();
        Instant now = now();
        if (token.revokedAt() != null || !token.expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        if (token.usedAt() != null) {
            LOG.warnf("A used refresh token of '%s' was presented again; the session %s ends", token.username(),
                    token.familyId());
            revokeFamily(token.familyId());
            return Optional.empty();
        }
        database.update("UPDATE gateway_refresh_token SET used_at = ? WHERE token_hash = ?", now, token.tokenHash());
        Issued next = issue(token.familyId(), token.username(), token.tenantId(), now, token.expiresAt());
        return Optional.of(new Rotated(token.username(), token.tenantId(), token.familyId(), next));
    }

    /** Ends the session the token belongs to (logout); an unknown token changes nothing. */
    @Transactional
    public void end(String presented) {
        if (presented == null || presented.isBlank() || presented.length() > 200) {
            return;
        }
        database.first("SELECT family_id FROM gateway_refresh_token WHERE token_hash = ?",
                row -> row.getObject(1, UUID.class), hash(presented)).ifPresent(this::revokeFamily);
    }

    @Transactional
    public void revokeFamily(UUID familyId) {
        database.update("UPDATE gateway_refresh_token SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                now(), familyId);
    }

    /** Ends every session of a user (disabled, or a new password). */
    @Transactional
    public int endAllOfUser(String username) {
        return database.update("UPDATE gateway_refresh_token SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
                now(), username);
    }

    /** Ends every session of a tenant's users (the tenant is disabled). */
    @Transactional
    public int endAllOfTenant(String tenantId) {
        return database.update("UPDATE gateway_refresh_token SET revoked_at = ? WHERE tenant_id = ? AND revoked_at IS NULL",
                now(), tenantId);
    }

    private Issued issue(UUID family, String username, String tenantId, Instant now, Instant expiresAt) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String clear = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        database.update("INSERT INTO gateway_refresh_token (token_hash, family_id, username, tenant_id, issued_at, "
                + "expires_at) VALUES (?, ?, ?, ?, ?, ?)", hash(clear), family, username, tenantId, now, expiresAt);
        return new Issued(clear, expiresAt);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
