package dev.mailops.gateway.users;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

import dev.mailops.gateway.identity.GatewayIdentity;
import dev.mailops.gateway.paging.Page;
import dev.mailops.kit.errors.ConflictException;
import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.errors.ValidationException;

/**
 * The tenant's system users (the "System user" choice of the Create mailbox dialog lists them), and
 * disabling a user (its tenant's admin, or an operator). A user's own password: {@code auth}'s OwnPasswordResource.
 */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class UserResource {

    public record UserView(String id, String username, String displayName, List<String> roles, boolean enabled,
            Instant createdAt) {
        public static UserView of(GatewayUser user) {
            return new UserView(user.username(), user.username(), user.displayName(), user.roleList(),
                    user.enabled(), user.createdAt());
        }
    }

    public record Enabled(Boolean enabled) {
    }

    @Inject
    UserDirectory directory;
    @Inject
    SecurityIdentity identity;

    @GET
    public Page<UserView> list(@QueryParam("page") String page, @QueryParam("size") String size) {
        Page.Request request = Page.Request.parse(page, size);
        Page<GatewayUser> found = directory.ofTenant(tenant(), request);
        return request.of(found.items().stream().map(UserView::of).toList(), found.totalItems());
    }

    @POST
    @RolesAllowed(GatewayIdentity.ADMIN)
    public Response create(UserDirectory.NewUser user) {
        if (user == null) {
            throw ValidationException.of("body", "a JSON object is required");
        }
        GatewayUser created = directory.create(tenant(), user);
        return Response.created(URI.create("/api/v1/users/" + created.username())).entity(UserView.of(created)).build();
    }

    /** Enables or disables a user: an admin of the user's tenant, or an operator. Disabling ends its sessions. */
    @PUT
    @Path("/{username}/enabled")
    @RolesAllowed({ GatewayIdentity.ADMIN, GatewayIdentity.OPERATOR })
    public UserView setEnabled(@PathParam("username") String username, Enabled body) {
        if (body == null || body.enabled() == null) {
            throw ValidationException.of("enabled", "must be true or false");
        }
        GatewayIdentity caller = GatewayIdentity.anyOf(identity);
        if (caller == null) {
            throw new UnauthorizedException();
        }
        GatewayUser user = directory.find(username)
                .filter(found -> caller.isOperator() || (caller.tenantId() != null && caller.tenantId().equals(found.tenantId())))
                .orElseThrow(() -> new NotFoundException("No user " + username));
        if (username.equals(caller.userId()) && !body.enabled()) {
            throw new ConflictException("cannot-disable-yourself", "Cannot disable yourself",
                    "Another admin or an operator can disable this user");
        }
        return UserView.of(directory.setEnabled(user, body.enabled()));
    }

    private String tenant() {
        GatewayIdentity caller = GatewayIdentity.of(identity);
        if (caller == null) {
            if (GatewayIdentity.anyOf(identity) != null) {
                throw new ForbiddenException("An operator belongs to no tenant");
            }
            throw new UnauthorizedException();
        }
        return caller.tenantId();
    }
}
