package dev.mailops.gateway.identity;

import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/** Who a verified bearer token says the caller is: the {@code tenant} claim, the user, the groups. */
public record GatewayIdentity(String tenantId, String userId, Set<String> roles) {

    public static final String TENANT_CLAIM = "tenant";

    /** The identity of a verified token, or null for an anonymous caller or a token without a tenant. */
    public static GatewayIdentity of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return null;
        }
        Object tenant = jwt.getClaim(TENANT_CLAIM);
        if (tenant == null || tenant.toString().isBlank()) {
            return null;
        }
        String tenantId = tenant.toString().replace("\"", "");
        return new GatewayIdentity(tenantId, jwt.getName(), identity.getRoles());
    }

    public boolean isAdmin() {
        return roles.contains("admin");
    }
}
