package dev.mailops.mailbox.users;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.mailops.mailbox.domain.SystemUsers;

/**
 * The tenants' system users as the gateway's user directory announced them on {@code gateway.users}
 * (table {@code known_user}): what the create-mailbox command checks its system user against, without
 * asking the gateway. A user is known in its own tenant only.
 */
@ApplicationScoped
public class KnownUsers {

    @Inject
    EntityManager entityManager;

    /** The tenant's users, as the domain asks about them. */
    public SystemUsers ofTenant(String tenantId) {
        return user -> standing(tenantId, user.value());
    }

    public SystemUsers.Standing standing(String tenantId, String userId) {
        List<?> enabled = entityManager
                .createNativeQuery("select enabled from known_user where tenant_id = ?1 and user_id = ?2")
                .setParameter(1, tenantId).setParameter(2, userId).getResultList();
        if (enabled.isEmpty()) {
            return SystemUsers.Standing.UNKNOWN;
        }
        return Boolean.TRUE.equals(enabled.get(0)) ? SystemUsers.Standing.ENABLED : SystemUsers.Standing.DISABLED;
    }

    /**
     * Records the user's standing as of the event, in the caller's transaction. A created user that is
     * known already keeps the standing it has (the creation is older than any change of it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void created(String tenantId, String userId, Instant at) {
        entityManager.createNativeQuery("""
                insert into known_user (tenant_id, user_id, enabled, changed_at) values (?1, ?2, true, ?3)
                on conflict (tenant_id, user_id) do nothing""")
                .setParameter(1, tenantId).setParameter(2, userId).setParameter(3, micros(at)).executeUpdate();
    }

    /** Records that the user was enabled or disabled, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setEnabled(String tenantId, String userId, boolean enabled, Instant at) {
        entityManager.createNativeQuery("""
                insert into known_user (tenant_id, user_id, enabled, changed_at) values (?1, ?2, ?3, ?4)
                on conflict (tenant_id, user_id) do update set enabled = excluded.enabled, changed_at = excluded.changed_at""")
                .setParameter(1, tenantId).setParameter(2, userId).setParameter(3, enabled).setParameter(4, micros(at))
                .executeUpdate();
    }

    private static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }
}
