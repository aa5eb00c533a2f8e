package dev.mailops.gateway.auth;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.vertx.core.http.HttpServerRequest;

import dev.mailops.gateway.edge.ClientAddresses;
import dev.mailops.gateway.identity.GatewayIdentity;
import dev.mailops.gateway.users.UserDirectory;
import dev.mailops.kit.errors.FieldErrors;
import dev.mailops.kit.errors.ValidationException;

/**
 * A user changes its own password, proving the current one; every session of the user ends. The current
 * password is checked under the login's throttle, so a stolen access token is no faster a way to guess it.
 */
@Path("/api/v1/users/me/password")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class OwnPasswordResource {

    public record PasswordChange(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[***]";
        }
    }

    @Inject
    UserDirectory directory;
    @Inject
    SecurityIdentity identity;
    @Inject
    IdentityProviderManager identities;
    @Inject
    LoginThrottle throttle;
    @Inject
    ClientAddresses clients;
    @Inject
    HttpServerRequest request;

    @PUT
    public Response change(PasswordChange change) {
        GatewayIdentity caller = GatewayIdentity.anyOf(identity);
        if (caller == null) {
            throw new UnauthorizedException();
        }
        FieldErrors errors = new FieldErrors();
        if (change == null || change.currentPassword() == null || change.currentPassword().isEmpty()) {
            errors.add("currentPassword", "is required");
        }
        UserDirectory.passwordPolicy("newPassword", change == null ? null : change.newPassword(), errors);
        errors.throwIfAny();
        LoginThrottle.Attempt attempt = throttle.attempt(caller.userId(), clients.of(request));
        if (attempt.refused().isPresent()) {
            return AuthResource.tooManyAttempts(attempt.refused().get());
        }
        try {
            identities.authenticateBlocking(new UsernamePasswordAuthenticationRequest(caller.userId(),
                    new PasswordCredential(change.currentPassword().toCharArray())));
        } catch (AuthenticationFailedException e) {
            throw ValidationException.of("currentPassword", "is not the current password");
        }
        attempt.succeeded();
        directory.changePassword(caller.userId(), change.newPassword());
        return Response.noContent().build();
    }
}
