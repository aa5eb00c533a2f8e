package dev.mailops.gateway.users;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

import dev.mailops.gateway.identity.GatewayIdentity;
import dev.mailops.kit.errors.ValidationException;

/** The tenant's system users, as the "System user" choice of the Create mailbox dialog lists them. */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class UserResource {

    public record UserView(String id, String username, String displayName, List<String> roles, Instant createdAt) {
        static UserView of(GatewayUser user) {
            return new UserView(user.username, user.username, user.displayName, Arrays.asList(user.roles.split(",")),
                    user.createdAt);
        }
    }

    @Inject
    UserDirectory directory;
    @Inject
    SecurityIdentity identity;

    @GET
    public List<UserView> list() {
        return directory.ofTenant(tenant()).stream().map(UserView::of).toList();
    }

    @POST
    @RolesAllowed("admin")
    public Response create(UserDirectory.NewUser user) {
        if (user == null) {
            throw ValidationException.of("body", "a JSON object is required");
        }
        GatewayUser created = directory.create(tenant(), user);
        return Response.created(URI.create("/api/v1/users/" + created.username)).entity(UserView.of(created)).build();
    }

    private String tenant() {
        GatewayIdentity caller = GatewayIdentity.of(identity);
        if (caller == null) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        return caller.tenantId();
    }
}
