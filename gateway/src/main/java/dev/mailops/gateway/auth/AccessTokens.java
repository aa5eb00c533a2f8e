package dev.mailops.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import dev.mailops.gateway.identity.GatewayIdentity;
import dev.mailops.gateway.users.GatewayUser;

/**
 * The local directory's access tokens: RS256, short-lived, with the issuer and audience smallrye-jwt
 * adds from {@code smallrye.jwt.new-token.*}, and the signing key's id ({@code smallrye.jwt.sign.key.id})
 * as {@code kid}, so a verifier holding several keys (rotation) picks the right one.
 */
@ApplicationScoped
public class AccessTokens {

    /** An access token and the roles it carries. */
    public record Issued(String token, long expiresIn, List<String> roles) {
        @Override
        public String toString() {
            return "Issued[***, " + expiresIn + " s]";
        }
    }

    @Inject
    Clock clock;

    @ConfigProperty(name = "gateway.token.lifetime", defaultValue = "PT5M")
    Duration lifetime;

    // smallrye-jwt itself applies this key id only to JWK signing keys; a PEM key gets it here.
    @ConfigProperty(name = "smallrye.jwt.sign.key.id")
    Optional<String> keyId;

    public Issued issue(GatewayUser account) {
        Set<String> roles = Set.copyOf(account.roleList());
        Instant now = clock.instant();
        JwtClaimsBuilder claims = Jwt.upn(account.username())
                .subject(account.username())
                .groups(roles)
                .issuedAt(now)
                .expiresAt(now.plus(lifetime));
        if (account.tenantId() != null) {
            claims.claim(GatewayIdentity.TENANT_CLAIM, account.tenantId());
        }
        String token = keyId.isPresent() ? claims.jws().keyId(keyId.get()).sign() : claims.sign();
        return new Issued(token, lifetime.toSeconds(), roles.stream().sorted().toList());
    }
}
