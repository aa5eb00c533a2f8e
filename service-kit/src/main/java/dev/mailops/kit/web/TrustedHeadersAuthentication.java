package dev.mailops.kit.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The caller as the gateway (in front of every service) identified it: {@code X-Tenant-Id},
 * {@code X-User-Id} and the comma-separated {@code X-User-Roles}. Requests without a tenant are
 * anonymous and get 401 from every API endpoint. The headers count only on a request that also carries
 * the configured {@code mailops.gateway-token} in {@code X-Gateway-Token}: only the gateway knows it.
 * Without a configured token no request has an identity, except in a service's own tests (the test
 * launch mode), which send the headers alone; a packaged service refuses to start without the token
 * ({@code mailops.required-secrets}, {@link dev.mailops.kit.secrets.RequiredSecrets}). The gateway itself
 * turns this mechanism off ({@code mailops.trusted-headers.enabled=false}) and authenticates bearer tokens.
 */
@ApplicationScoped
@IfBuildProperty(name = "mailops.trusted-headers.enabled", stringValue = "true", enableIfMissing = true)
public class TrustedHeadersAuthentication implements HttpAuthenticationMechanism {

    public static final String TENANT_HEADER = "X-Tenant-Id";
    public static final String USER_HEADER = "X-User-Id";
    public static final String ROLES_HEADER = "X-User-Roles";
    public static final String GATEWAY_TOKEN_HEADER = "X-Gateway-Token";
    public static final String TENANT_ATTRIBUTE = "tenant";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Logger LOG = Logger.getLogger(TrustedHeadersAuthentication.class);

    @ConfigProperty(name = "mailops.gateway-token")
    Optional<String> gatewayToken;

    /** Headers without a token are trusted only where nobody but the tests can send them. */
    boolean trustedWithoutToken = LaunchMode.current() == LaunchMode.TEST;

    void warnWithoutToken(@Observes StartupEvent start) {
        if (gatewayToken.isEmpty() && !trustedWithoutToken) {
            LOG.warn("mailops.gateway-token (MAILOPS_GATEWAY_TOKEN) is not set: no request has an identity, "
                    + "every API call gets 401");
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!fromTheGateway(context.request().getHeader(GATEWAY_TOKEN_HEADER))) {
            return Uni.createFrom().optional(Optional.empty());
        }
        String tenant = context.request().getHeader(TENANT_HEADER);
        if (tenant == null || !IDENTIFIER.matcher(tenant).matches()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        String user = context.request().getHeader(USER_HEADER);
        if (user == null || !IDENTIFIER.matcher(user).matches()) {
            user = "anonymous";
        }
        String roles = context.request().getHeader(ROLES_HEADER);
        Set<String> roleSet = roles == null ? Set.of()
                : Arrays.stream(roles.split(",")).map(String::strip).filter(r -> !r.isEmpty())
                        .collect(Collectors.toSet());
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user))
                .addRoles(roleSet)
                .addAttribute(TENANT_ATTRIBUTE, tenant)
                .build());
    }

    /** Whether the request's {@code X-Gateway-Token} is the configured token, compared in constant time. */
    boolean fromTheGateway(String presentedToken) {
        if (gatewayToken.isEmpty()) {
            return trustedWithoutToken;
        }
        return presentedToken != null && MessageDigest.isEqual(sha256(gatewayToken.get()), sha256(presentedToken));
    }

    /** Digests of equal length, so the comparison does not give away the token's length either. */
    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }
}
