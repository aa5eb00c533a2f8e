package dev.mailops.kit.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;

import io.quarkus.security.Authenticated;

import dev.mailops.kit.errors.ConflictException;
import dev.mailops.kit.errors.FieldErrors;
import dev.mailops.kit.errors.InvalidValueException;
import dev.mailops.kit.errors.NotFoundException;

/** Endpoints that use the kit as the services' resources do, one per behaviour under test. */
@Path("/probe")
@Authenticated
public class KitProbeResource {

    @Inject
    Caller caller;

    public record Order(String name, int count, List<Line> lines) {
    }

    public record Line(String sku) {
    }

    @GET
    @Path("caller")
    public Map<String, Object> caller() {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("tenant", caller.tenantId());
        seen.put("user", caller.userId());
        seen.put("correlationId", caller.correlationId());
        return seen;
    }

    @PUT
    @Path("admin-only")
    @RolesAllowed("admin")
    public Map<String, Object> adminOnly() {
        return Map.of("changed", true);
    }

    @GET
    @Path("invalid")
    public String invalid() {
        FieldErrors errors = new FieldErrors();
        errors.check("localPart", () -> {
            throw new InvalidValueException("must not be empty");
        });
        errors.add("rate", "is not a known rate");
        errors.throwIfAny();
        return "unreachable";
    }

    @GET
    @Path("conflict")
    public String conflict() {
        throw new ConflictException("address-blocked", "Address blocked", "anna@shop.example is blocked",
                Map.of("blockedUntil", "2026-01-03T10:00:00Z"));
    }

    /** What Hibernate throws when Agroal had no free connection within its acquisition timeout. */
    @POST
    @Path("no-connection")
    public String noConnection() {
        throw new IllegalStateException("Unable to acquire JDBC Connection", new java.sql.SQLException(
                "Acquisition timeout while waiting for new connection", new java.util.concurrent.TimeoutException()));
    }

    /** A query the database failed on (a syntax error): the service's fault, not overload. */
    @POST
    @Path("bad-query")
    public String badQuery() {
        throw new IllegalStateException("could not execute", new java.sql.SQLException("syntax error", "42601"));
    }

    @GET
    @Path("missing")
    public String missing() {
        throw new NotFoundException("No mailbox 42");
    }

    @POST
    @Path("orders")
    public Order order(Order order) {
        return order;
    }

    @GET
    @Path("gone")
    public String gone() {
        throw new WebApplicationException("That resource is gone", 410);
    }

    @GET
    @Path("broken")
    public String broken() {
        throw new IllegalStateException("secret internal detail");
    }
}
