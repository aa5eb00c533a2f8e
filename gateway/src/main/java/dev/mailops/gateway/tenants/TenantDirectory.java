package dev.mailops.gateway.tenants;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import dev.mailops.kit.jdbc.Database;

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
    Database database;
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
        Tenant tenant = new Tenant(input.id(), input.displayName().strip(), true,
                clock.instant().truncatedTo(ChronoUnit.MICROS), null);
        // Of two onboardings of one id at once, the later one waits for the other and is told so.
        int inserted = database.update("INSERT INTO gateway_tenant (id, display_name, enabled, created_at) "
                + "VALUES (?, ?, true, ?) ON CONFLICT (id) DO NOTHING", tenant.id(), tenant.displayName(), tenant.createdAt());
        if (inserted == 0) {
            throw new ConflictException("tenant-taken", "Tenant exists", "A tenant " + input.id() + " exists");
        }
        users.create(tenant.id(), admin);
        LOG.infof("Onboarded tenant '%s' with its admin '%s'", tenant.id(), admin.username());
        return tenant;
    }

    public Optional<Tenant> find(String id) {
        return id == null ? Optional.empty()
                : database.first("SELECT " + Tenant.COLUMNS + " FROM gateway_tenant WHERE id = ?", Tenant::read, id);
    }

    /** Whether the user may hold a session: enabled, and an operator or of an enabled tenant. */
    public boolean mayHoldSession(GatewayUser user) {
        return user.enabled() && (user.tenantId() == null || find(user.tenantId()).map(Tenant::enabled).orElse(false));
    }

    /** One page of the tenants, sorted by id. */
    public Page<Tenant> list(Page.Request page) {
        List<Tenant> tenants = database.list("SELECT " + Tenant.COLUMNS + " FROM gateway_tenant ORDER BY id LIMIT ? OFFSET ?",
                Tenant::read, page.size(), page.offset());
        long total = database.count("SELECT count(*) FROM gateway_tenant");
        return page.of(tenants, total);
    }

    /** Enables or disables a tenant; disabling ends every session of its users. */
    @Transactional
    public Tenant setEnabled(String id, boolean enabled) {
        int changed = database.update("UPDATE gateway_tenant SET enabled = ?, disabled_at = ? WHERE id = ? AND enabled <> ?",
                enabled, enabled ? null : clock.instant().truncatedTo(ChronoUnit.MICROS), id, enabled);
        Tenant tenant = find(id).orElseThrow(() -> new NotFoundException("No tenant " + id));
        if (changed > 0 && !enabled) {
            int ended = sessions.endAllOfTenant(id);
            LOG.infof("Disabled tenant '%s'; %d session token(s) revoked", id, ended);
        }
        return tenant;
    }
}
