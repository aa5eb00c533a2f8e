package dev.mailops.mailbox.users;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.domain.SystemUsers;

/**
 * The tenants' system users as the gateway's user directory announced them on {@code gateway.users}
 * (table {@code known_user}): what the create-mailbox command checks its system user against, without
 * asking the gateway. A user is known in its own tenant only.
 */
@ApplicationScoped
public class KnownUsers {

    @Inject
    Database database;

    /** The tenant's users, as the domain asks about them. */
    public SystemUsers ofTenant(String tenantId) {
        return user -> standing(tenantId, user.value());
    }

    public SystemUsers.Standing standing(String tenantId, String userId) {
        return database.first("select enabled from known_user where tenant_id = ? and user_id = ?",
                row -> row.getBoolean(1) ? SystemUsers.Standing.ENABLED : SystemUsers.Standing.DISABLED, tenantId, userId)
                .orElse(SystemUsers.Standing.UNKNOWN);
    }

    /**
     * Records the user's standing as of the event, in the caller's transaction. A created user that is
     * known already keeps the standing it has (the creation is older than any change of it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void created(String tenantId, String userId, Instant at) {
        database.update("""
                insert into known_user (tenant_id, user_id, enabled, changed_at) values (?, ?, true, ?)
                on conflict (tenant_id, user_id) do nothing""", tenantId, userId, micros(at));
    }

    /** Records that the user was enabled or disabled, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setEnabled(String tenantId, String userId, boolean enabled, Instant at) {
        database.update("""
                insert into known_user (tenant_id, user_id, enabled, changed_at) values (?, ?, ?, ?)
                on conflict (tenant_id, user_id) do update set enabled = excluded.enabled, changed_at = excluded.changed_at""",
                tenantId, userId, enabled, micros(at));
    }

    private static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }
}
