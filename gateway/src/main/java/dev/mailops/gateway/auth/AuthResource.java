package dev.mailops.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.http.HttpServerRequest;

import dev.mailops.gateway.edge.ClientAddresses;
import dev.mailops.gateway.identity.GatewayIdentity;
import dev.mailops.gateway.users.GatewayUser;
import dev.mailops.gateway.users.UserDirectory;
import dev.mailops.kit.errors.ValidationException;

/** Login for the local user directory: username and password in, a short-lived bearer token out. */
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
public class AuthResource {

    public record Login(String username, String password) {
        @Override
        public String toString() {
            return "Login[" + username + ", password=***]";
        }
    }

    public record Token(String accessToken, String tokenType, long expiresIn, String tenant, List<String> roles) {
    }

    @Inject
    IdentityProviderManager identities;
    @Inject
    UserDirectory directory;
    @Inject
    LoginThrottle throttle;
    @Inject
    HttpServerRequest request;
    @Inject
    ClientAddresses clients;
    @Inject
    Clock clock;

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    @ConfigProperty(name = "gateway.token.lifetime", defaultValue = "PT15M")
    Duration lifetime;

    @POST
    @Path("/login")
    public Response login(Login login) {
        if (login == null || login.username() == null || login.username().isBlank() || login.password() == null) {
            throw ValidationException.of("username", "username and password are required");
        }
        LoginThrottle.Attempt attempt = throttle.attempt(login.username(), clients.of(request));
        if (attempt.refused().isPresent()) {
            return tooManyAttempts(attempt.refused().get());
        }
        SecurityIdentity identity;
        try {
            identity = identities.authenticateBlocking(new UsernamePasswordAuthenticationRequest(login.username(),
                    new PasswordCredential(login.password().toCharArray())));
        } catch (AuthenticationFailedException e) {
            return Response.status(401).type("application/problem+json").entity(java.util.Map.of(
                    "type", "/problems/login-failed", "title", "Login failed", "status", 401,
                    "detail", "Unknown username or wrong password")).build();
        }
        attempt.succeeded();
        GatewayUser account = directory.find(login.username()).orElseThrow();
        Instant now = clock.instant();
        String token = Jwt.issuer(issuer)
                .upn(account.username)
                .subject(account.username)
                .groups(new HashSet<>(identity.getRoles()))
                .claim(GatewayIdentity.TENANT_CLAIM, account.tenantId)
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .sign();
        return Response.ok(new Token(token, "Bearer", lifetime.toSeconds(), account.tenantId,
                identity.getRoles().stream().sorted().toList())).build();
    }

    private static Response tooManyAttempts(Duration wait) {
        long seconds = Math.max(1, wait.toSeconds());
        return Response.status(429).header("Retry-After", seconds).type("application/problem+json")
                .entity(java.util.Map.of("type", "/problems/too-many-login-attempts", "title", "Too many failed logins",
                        "status", 429, "detail", "Too many failed logins; try again in " + seconds + " s"))
                .build();
    }
}
