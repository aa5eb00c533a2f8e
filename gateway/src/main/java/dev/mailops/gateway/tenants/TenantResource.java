package dev.mailops.gateway.tenants;

import java.net.URI;
import java.time.Instant;

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

import dev.mailops.gateway.identity.GatewayIdentity;
import dev.mailops.gateway.paging.Page;
import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.errors.ValidationException;

/** Onboarding for the platform's operators: create, list, read, disable and enable tenants. */
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(GatewayIdentity.OPERATOR)
public class TenantResource {

    public record TenantView(String id, String displayName, boolean enabled, Instant createdAt, Instant disabledAt) {
        static TenantView of(Tenant tenant) {
            return new TenantView(tenant.id(), tenant.displayName(), tenant.enabled(), tenant.createdAt(), tenant.disabledAt());
        }
    }

    public record Enabled(Boolean enabled) {
    }

    @Inject
    TenantDirectory tenants;

    @POST
    public Response create(TenantDirectory.NewTenant tenant) {
        if (tenant == null) {
            throw ValidationException.of("body", "a JSON object is required");
        }
        Tenant created = tenants.create(tenant);
        return Response.created(URI.create("/api/v1/tenants/" + created.id())).entity(TenantView.of(created)).build();
    }

    @GET
    public Page<TenantView> list(@QueryParam("page") String page, @QueryParam("size") String size) {
        Page.Request request = Page.Request.parse(page, size);
        Page<Tenant> found = tenants.list(request);
        return request.of(found.items().stream().map(TenantView::of).toList(), found.totalItems());
    }

    @GET
    @Path("/{id}")
    public TenantView get(@PathParam("id") String id) {
        return tenants.find(id).map(TenantView::of).orElseThrow(() -> new NotFoundException("No tenant " + id));
    }

    /** {@code {"enabled": false}} disables the tenant: its users cannot log in, and their sessions end. */
    @PUT
    @Path("/{id}/enabled")
    public TenantView setEnabled(@PathParam("id") String id, Enabled body) {
        if (body == null || body.enabled() == null) {
            throw ValidationException.of("enabled", "must be true or false");
        }
        return TenantView.of(tenants.setEnabled(id, body.enabled()));
    }
}
