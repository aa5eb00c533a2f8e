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
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.StartupEvent;

import dev.mailops.kit.errors.ConflictException;
import dev.mailops.kit.errors.FieldErrors;

/**
 * The gateway's own small user directory, used when no external OIDC provider issues the tokens:
 * tenants' system users with the roles {@code admin} and {@code user}. A first admin can be created
 * from configuration at start-up.
 */
@ApplicationScoped
public class UserDirectory {

    private static final Logger LOG = Logger.getLogger(UserDirectory.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{3,100}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    public static final Set<String> ROLES = Set.of("admin", "user");

    /** What creating a user takes. */
    public record NewUser(String username, String displayName, String password, List<String> roles) {
        @Override
        public String toString() {
            return "NewUser[" + username + ", password=***]";
        }
    }

    @Inject
    EntityManager entityManager;
    @Inject
    Clock clock;

    @ConfigProperty(name = "gateway.bootstrap.admin.tenant")
    Optional<String> bootstrapTenant;
    @ConfigProperty(name = "gateway.bootstrap.admin.username")
    Optional<String> bootstrapUsername;
    @ConfigProperty(name = "gateway.bootstrap.admin.password")
    Optional<String> bootstrapPassword;

    @Transactional
    void bootstrap(@Observes StartupEvent event) {
        if (bootstrapTenant.isEmpty() || bootstrapUsername.isEmpty() || bootstrapPassword.isEmpty()) {
            return;
        }
        if (find(bootstrapUsername.get()).isEmpty()) {
            create(bootstrapTenant.get(), new NewUser(bootstrapUsername.get(), "Administrator", bootstrapPassword.get(),
                    List.of("admin", "user")));
            LOG.infof("Created the first admin '%s' of tenant '%s'", bootstrapUsername.get(), bootstrapTenant.get());
        }
    }

    @Transactional
    public GatewayUser create(String tenantId, NewUser input) {
        FieldErrors errors = new FieldErrors();
        if (input.username() == null || !NAME.matcher(input.username()).matches()) {
            errors.add("username", "must be 3-100 letters, digits or . _ @ -");
        }
        if (tenantId == null || !TENANT.matcher(tenantId).matches()) {
            errors.add("tenant", "must be 1-64 letters, digits or . _ @ -");
        }
        if (input.displayName() == null || input.displayName().isBlank() || input.displayName().length() > 200) {
            errors.add("displayName", "must be 1-200 characters");
        } else if (input.displayName().chars().anyMatch(Character::isISOControl)) {
            errors.add("displayName", "must not contain control characters");
        }
        if (input.password() == null || input.password().length() < 10 || input.password().length() > 128) {
            errors.add("password", "must be 10 to 128 characters long");
        }
        List<String> roles = input.roles() == null || input.roles().isEmpty() ? List.of("user") : input.roles();
        if (!ROLES.containsAll(roles)) {
            errors.add("roles", "must be among " + ROLES);
        }
        errors.throwIfAny();
        if (find(input.username()).isPresent()) {
            throw new ConflictException("username-taken", "Username taken", input.username() + " is taken");
        }
        GatewayUser user = new GatewayUser();
        user.username = input.username();
        user.password = BcryptUtil.bcryptHash(input.password());
        user.roles = String.join(",", roles);
        user.tenantId = tenantId;
        user.displayName = input.displayName().strip();
        user.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        entityManager.persist(user);
        return user;
    }

    public Optional<GatewayUser> find(String username) {
        return entityManager.createQuery("from GatewayUser u where u.username = :name", GatewayUser.class)
                .setParameter("name", username).getResultStream().findFirst();
    }

    public List<GatewayUser> ofTenant(String tenantId) {
        return entityManager.createQuery("from GatewayUser u where u.tenantId = :tenant order by u.username",
                GatewayUser.class).setParameter("tenant", tenantId).getResultList();
    }
}
