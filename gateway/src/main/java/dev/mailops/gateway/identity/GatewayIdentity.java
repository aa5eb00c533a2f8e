package dev.mailops.gateway.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who a verified bearer token says the caller is: the {@code tenant} claim, the user, the groups. A
 * tenant's users have the roles {@code admin} and {@code user}; the platform's operators have
 * {@code operator} and no tenant.
 */
public record GatewayIdentity(String tenantId, String userId, Set<String> roles) {

    public static final String TENANT_CLAIM = "tenant";
    public static final String ADMIN = "admin";
    public static final String USER = "user";
    public static final String OPERATOR = "operator";

    /** The identity of a verified token, or null for an anonymous caller or a token without a tenant. */
    public static GatewayIdentity of(SecurityIdentity identity) {
        GatewayIdentity caller = anyOf(identity);
        return caller == null || caller.tenantId() == null ? null : caller;
    }

    /** The identity of a verified token, a tenant's or an operator's (whose tenant is null); else null. */
    public static GatewayIdentity anyOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return null;
        }
        Object tenant = jwt.getClaim(TENANT_CLAIM);
        String tenantId = tenant == null || tenant.toString().isBlank() ? null : tenant.toString().replace("\"", "");
        if (tenantId == null && !identity.getRoles().contains(OPERATOR)) {
            return null;
        }
        return new GatewayIdentity(tenantId, jwt.getName(), identity.getRoles());
    }

    /** When the verified token expires, if it says. */
    public static Optional<Instant> expiry(SecurityIdentity identity) {
        if (identity != null && identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            return Optional.of(Instant.ofEpochSecond(jwt.getExpirationTime()));
        }
        return Optional.empty();
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }

    public boolean isOperator() {
        return roles.contains(OPERATOR);
    }
}
