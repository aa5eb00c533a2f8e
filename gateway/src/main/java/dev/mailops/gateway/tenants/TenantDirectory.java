package dev.mailops.gateway.tenants;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.mailops.gateway.identity.GatewayIdentity;
import dev.mailops.gateway.paging.Page;
import dev.mailops.gateway.sessions.Sessions;
import dev.mailops.gateway.users.GatewayUser;
import dev.mailops.gateway.users.UserDirectory;
import dev.mailops.kit.errors.ConflictException;
import dev.mailops.kit.errors.FieldErrors;
import dev.mailops.kit.errors.NotFoundException;

/** The platform's tenants: created by an operator together with their first admin, listed, disabled. */
@ApplicationScoped
public class TenantDirectory {

    private static final Logger LOG = Logger.getLogger(TenantDirectory.class);
    /** Lower-case letters, digits and inner hyphens, like a DNS label: it ends up in logs, headers and URLs. */
    private static final Pattern ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");

    /** What onboarding a tenant takes: its id, its name, and its first admin. */
    public record NewTenant(String id, String displayName, UserDirectory.NewUser admin) {
    }

    @Inject
    EntityManager entityManager;
    @Inject
    Clock clock;
    @Inject
    UserDirectory users;
    @Inject
    Sessions sessions;

    /** Creates the tenant and its first admin (roles {@code admin} and {@code user}) in one transaction. */
    @Transactional
    public Tenant create(NewTenant input) {
        FieldErrors errors = new FieldErrors();
        if (input.id() == null || !ID.matcher(input.id()).matches()) {
            errors.add("id", "must be 1-64 lower-case letters, digits or inner hyphens");
        }
        if (input.displayName() == null || input.displayName().isBlank() || input.displayName().length() > 200) {
            errors.add("displayName", "must be 1-200 characters");
        } else if (input.displayName().chars().anyMatch(Character::isISOControl)) {
            errors.add("displayName", "must not contain control characters");
        }
        UserDirectory.NewUser admin = input.admin() == null ? null
                : new UserDirectory.NewUser(input.admin().username(), input.admin().displayName(),
                        input.admin().password(), List.of(GatewayIdentity.ADMIN, GatewayIdentity.USER));
        users.check("admin.", admin, errors);
        errors.throwIfAny();
        if (entityManager.find(Tenant.class, input.id()) != null) {
            throw new ConflictException("tenant-taken", "Tenant exists", "A tenant " + input.id() + " exists");
        }
        Tenant tenant = new Tenant();
        tenant.id = input.id();
        tenant.displayName = input.displayName().strip();
        tenant.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        entityManager.persist(tenant);
        users.create(tenant.id, admin);
        LOG.infof("Onboarded tenant '%s' with its admin '%s'", tenant.id, admin.username());
        return tenant;
    }

    public Optional<Tenant> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(entityManager.find(Tenant.class, id));
    }

    /** Whether the user may hold a session: enabled, and an operator or of an enabled tenant. */
    public boolean mayHoldSession(GatewayUser user) {
        return user.enabled && (user.tenantId == null || find(user.tenantId).map(t -> t.enabled).orElse(false));
    }

    /** One page of the tenants, sorted by id. */
    public Page<Tenant> list(Page.Request page) {
        List<Tenant> tenants = entityManager.createQuery("from Tenant t order by t.id", Tenant.class)
                .setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        long total = entityManager.createQuery("select count(t) from Tenant t", Long.class).getSingleResult();
        return page.of(tenants, total);
    }

    /** Enables or disables a tenant; disabling ends every session of its users. */
    @Transactional
    public Tenant setEnabled(String id, boolean enabled) {
        Tenant tenant = find(id).orElseThrow(() -> new NotFoundException("No tenant " + id));
        if (tenant.enabled != enabled) {
            tenant.enabled = enabled;
            tenant.disabledAt = enabled ? null : clock.instant().truncatedTo(ChronoUnit.MICROS);
            if (!enabled) {
                int ended = sessions.endAllOfTenant(id);
                LOG.infof("Disabled tenant '%s'; %d session token(s) revoked", id, ended);
            }
        }
        return tenant;
    }
}
