package dev.mailops.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.vertx.core.http.HttpServerRequest;

import dev.mailops.gateway.edge.ClientAddresses;
import dev.mailops.gateway.sessions.Sessions;
import dev.mailops.gateway.tenants.TenantDirectory;
import dev.mailops.gateway.users.GatewayUser;
import dev.mailops.gateway.users.UserDirectory;
import dev.mailops.kit.errors.ValidationException;

/**
 * Login for the local user directory: username and password in, a short-lived bearer token and a
 * refresh token out. The refresh token is rotated at every use ({@code /refresh}) and ends with
 * {@code /logout}, a disabled user or tenant, or a new password.
 */
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

    public record Refresh(String refreshToken) {
        @Override
        public String toString() {
            return "Refresh[***]";
        }
    }

    public record Token(String accessToken, String tokenType, long expiresIn, String refreshToken,
            long refreshExpiresIn, String tenant, List<String> roles) {
        @Override
        public String toString() {
            return "Token[***, " + tenant + ", " + roles + "]";
        }
    }

    @Inject
    IdentityProviderManager identities;
    @Inject
    UserDirectory directory;
    @Inject
    TenantDirectory tenants;
    @Inject
    Sessions sessions;
    @Inject
    AccessTokens accessTokens;
    @Inject
    LoginThrottle throttle;
    @Inject
    HttpServerRequest request;
    @Inject
    ClientAddresses clients;
    @Inject
    Clock clock;

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
        try {
            identities.authenticateBlocking(new UsernamePasswordAuthenticationRequest(login.username(),
                    new PasswordCredential(login.password().toCharArray())));
        } catch (AuthenticationFailedException e) {
            return Response.status(401).type("application/problem+json").entity(java.util.Map.of(
                    "type", "/problems/login-failed", "title", "Login failed", "status", 401,
                    "detail", "Unknown username or wrong password")).build();
        }
        attempt.succeeded();
        GatewayUser account = directory.find(login.username()).orElseThrow();
        if (!tenants.mayHoldSession(account)) {
            return problem(403, "account-disabled", "Account disabled",
                    "This user or its tenant is disabled; ask its admin or the platform's operator");
        }
        return Response.ok(token(account, sessions.start(account.username(), account.tenantId()))).build();
    }

    /** A new access token for a refresh token, which is used up: the answer carries the next one. */
    @POST
    @Path("/refresh")
    public Response refresh(Refresh refresh) {
        if (refresh == null || refresh.refreshToken() == null || refresh.refreshToken().isBlank()) {
            throw ValidationException.of("refreshToken", "is required");
        }
        var rotated = sessions.rotate(refresh.refreshToken());
        if (rotated.isEmpty()) {
            return sessionEnded();
        }
        var account = directory.find(rotated.get().username()).filter(tenants::mayHoldSession);
        if (account.isEmpty()) {
            sessions.revokeFamily(rotated.get().familyId());
            return sessionEnded();
        }
        return Response.ok(token(account.get(), rotated.get().next())).build();
    }

    /** Ends the session of the refresh token; the access token lapses on its own within minutes. */
    @POST
    @Path("/logout")
    public Response logout(Refresh refresh) {
        if (refresh != null) {
            sessions.end(refresh.refreshToken());
        }
        return Response.noContent().build();
    }

    private Token token(GatewayUser account, Sessions.Issued session) {
        AccessTokens.Issued access = accessTokens.issue(account);
        long refreshSeconds = Math.max(0, Duration.between(clock.instant(), session.expiresAt()).toSeconds());
        return new Token(access.token(), "Bearer", access.expiresIn(), session.token(), refreshSeconds,
                account.tenantId(), access.roles());
    }

    private static Response sessionEnded() {
        return problem(401, "session-ended", "Session ended",
                "The refresh token is unknown, expired, already used or revoked; log in again");
    }

    private static Response problem(int status, String code, String title, String detail) {
        return Response.status(status).type("application/problem+json").entity(java.util.Map.of(
                "type", "/problems/" + code, "title", title, "status", status, "detail", detail)).build();
    }

    static Response tooManyAttempts(Duration wait) {
        long seconds = Math.max(1, wait.toSeconds());
        return Response.status(429).header("Retry-After", seconds).type("application/problem+json")
                .entity(java.util.Map.of("type", "/problems/too-many-login-attempts", "title", "Too many failed logins",
                        "status", 429, "detail", "Too many failed logins; try again in " + seconds + " s"))
                .build();
    }
}
