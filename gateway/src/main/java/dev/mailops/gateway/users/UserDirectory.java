package dev.mailops.gateway.users;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.StartupEvent;

import dev.mailops.gateway.identity.GatewayIdentity;
import dev.mailops.gateway.paging.Page;
import dev.mailops.gateway.sessions.Sessions;
import dev.mailops.kit.errors.ConflictException;
import dev.mailops.kit.errors.FieldErrors;
import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.jdbc.Database;

/**
 * The gateway's own small user directory, used when no external OIDC provider issues the tokens:
 * tenants' system users with the roles {@code admin} and {@code user}, and the platform's operators. The
 * first operator can be created from configuration at start-up. Disabling a user or changing its
 * password ends its sessions. A tenant's user's creation and every change of its standing are published
 * to gateway.users ({@link UserEvents}) in the same transaction.
 */
@ApplicationScoped
public class UserDirectory {

    private static final Logger LOG = Logger.getLogger(UserDirectory.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{3,100}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    public static final Set<String> ROLES = Set.of(GatewayIdentity.ADMIN, GatewayIdentity.USER);

    /** What creating a user takes. */
    public record NewUser(String username, String displayName, String password, List<String> roles) {
        @Override
        public String toString() {
            return "NewUser[" + username + ", password=***]";
        }
    }

    @Inject
    Database database;
    @Inject
    Clock clock;
    @Inject
    Sessions sessions;
    @Inject
    UserEvents events;

    @ConfigProperty(name = "gateway.bootstrap.operator.username")
    Optional<String> bootstrapUsername;
    @ConfigProperty(name = "gateway.bootstrap.operator.password")
    Optional<String> bootstrapPassword;

    /** The first operator, who onboards the tenants; created once, a later password setting changes nothing. */
    @Transactional
    void bootstrap(@Observes StartupEvent event) {
        if (bootstrapUsername.isEmpty() || bootstrapPassword.isEmpty()) {
            return;
        }
        if (find(bootstrapUsername.get()).isEmpty()) {
            // the tenant roles' check does not apply: the role is fixed here and never taken from a request
            NewUser operator = new NewUser(bootstrapUsername.get(), "Operator", bootstrapPassword.get(), null);
            FieldErrors errors = new FieldErrors();
            check("", operator, errors);
            errors.throwIfAny();
            persist(null, operator, List.of(GatewayIdentity.OPERATOR));
            LOG.infof("Created the first operator '%s'", bootstrapUsername.get());
        }
    }

    /** Creates a tenant's user with the roles {@code admin} and/or {@code user} (default {@code user}). */
    @Transactional
    public GatewayUser create(String tenantId, NewUser input) {
        FieldErrors errors = new FieldErrors();
        if (tenantId == null || !TENANT.matcher(tenantId).matches()) {
            errors.add("tenant", "must be 1-64 letters, digits or . _ @ -");
        }
        check("", input, errors);
        errors.throwIfAny();
        return persist(tenantId, input, rolesOf(input));
    }

    /** Records every bad field of a new user, the field names prefixed (e.g. {@code admin.}). */
    public void check(String prefix, NewUser input, FieldErrors errors) {
        if (input == null) {
            errors.add(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "a JSON object is required");
            return;
        }
        if (input.username() == null || !NAME.matcher(input.username()).matches()) {
            errors.add(prefix + "username", "must be 3-100 letters, digits or . _ @ -");
        }
        if (input.displayName() == null || input.displayName().isBlank() || input.displayName().length() > 200) {
            errors.add(prefix + "displayName", "must be 1-200 characters");
        } else if (input.displayName().chars().anyMatch(Character::isISOControl)) {
            errors.add(prefix + "displayName", "must not contain control characters");
        }
        passwordPolicy(prefix + "password", input.password(), errors);
        if (!ROLES.containsAll(rolesOf(input))) {
            errors.add(prefix + "roles", "must be among " + ROLES);
        }
    }

    /** The password policy of every user: 10 to 128 characters. */
    public static void passwordPolicy(String field, String password, FieldErrors errors) {
        if (password == null || password.length() < 10 || password.length() > 128) {
            errors.add(field, "must be 10 to 128 characters long");
        }
    }

    private static List<String> rolesOf(NewUser input) {
        return input.roles() == null || input.roles().isEmpty() ? List.of(GatewayIdentity.USER) : input.roles();
    }

    private GatewayUser persist(String tenantId, NewUser input, List<String> roles) {
        if (find(input.username()).isPresent()) {
            throw taken(input.username());
        }
        GatewayUser user = new GatewayUser(input.username(), String.join(",", roles), tenantId, true, null,
                input.displayName().strip(), clock.instant().truncatedTo(ChronoUnit.MICROS));
        // Of two creations of one username at once, the later one waits for the other and is told so.
        int inserted = database.update("INSERT INTO gateway_user (username, password, roles, tenant_id, enabled, "
                + "display_name, created_at) VALUES (?, ?, ?, ?, true, ?, ?) ON CONFLICT (username) DO NOTHING",
                user.username(), BcryptUtil.bcryptHash(input.password()), user.roles(), tenantId, user.displayName(),
                user.createdAt());
        if (inserted == 0) {
            throw taken(input.username());
        }
        events.created(user);
        return user;
    }

    private static ConflictException taken(String username) {
        return new ConflictException("username-taken", "Username taken", username + " is taken");
    }

    /** Sets a new password (the current one was checked by the caller) and ends the user's sessions. */
    @Transactional
    public void changePassword(String username, String newPassword) {
        FieldErrors errors = new FieldErrors();
        passwordPolicy("newPassword", newPassword, errors);
        errors.throwIfAny();
        int changed = database.update("UPDATE gateway_user SET password = ?, password_changed_at = ? "
                + "WHERE username = ? AND enabled", BcryptUtil.bcryptHash(newPassword),
                clock.instant().truncatedTo(ChronoUnit.MICROS), username);
        if (changed == 0) {
            throw new NotFoundException("No enabled user " + username);
        }
        sessions.endAllOfUser(username);
        LOG.infof("'%s' set new credentials; its sessions ended", username);
    }

    /** Enables or disables a user; disabling ends its sessions. */
    @Transactional
    public GatewayUser setEnabled(GatewayUser user, boolean enabled) {
        int changed = database.update("UPDATE gateway_user SET enabled = ? WHERE username = ? AND enabled <> ?",
                enabled, user.username(), enabled);
        GatewayUser updated = user.withEnabled(enabled);
        if (changed > 0) {
            events.standingChanged(updated, clock.instant().truncatedTo(ChronoUnit.MICROS));
        }
        if (!enabled) {
            int ended = sessions.endAllOfUser(user.username());
            LOG.infof("Disabled '%s'; %d session token(s) revoked", user.username(), ended);
        }
        return updated;
    }

    public Optional<GatewayUser> find(String username) {
        return database.first("SELECT " + GatewayUser.COLUMNS + " FROM gateway_user WHERE username = ?",
                GatewayUser::read, username);
    }

    /** One page of a tenant's users, sorted by username. */
    public Page<GatewayUser> ofTenant(String tenantId, Page.Request page) {
        List<GatewayUser> users = database.list("SELECT " + GatewayUser.COLUMNS
                + " FROM gateway_user WHERE tenant_id = ? ORDER BY username LIMIT ? OFFSET ?", GatewayUser::read,
                tenantId, page.size(), page.offset());
        long total = database.count("SELECT count(*) FROM gateway_user WHERE tenant_id = ?", tenantId);
        return page.of(users, total);
    }
}
