package dev.mailops.kit.web;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

import dev.mailops.kit.errors.ConflictException;
import dev.mailops.kit.errors.FieldError;
import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.errors.ValidationException;

/**
 * Every error as RFC 9457 problem+json: {@code type} (a stable URI per kind of problem), {@code title},
 * {@code status}, {@code detail}, {@code instance}, and for bad input an {@code errors} list naming each field.
 */
public class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(Problems.class);
    /** SQLSTATEs of a server that refuses connections: 08001, 08004, too many connections, cannot connect now. */
    private static final Set<String> CONNECTIONS_REFUSED = Set.of("08001", "08004", "53300", "57P03");

    @Inject
    UriInfo uri;

    @ServerExceptionMapper
    public Response validation(ValidationException e) {
        return problem(400, "validation", "The request has invalid fields", e.getMessage(),
                Map.of("errors", e.errors()));
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        Map<String, Object> extra = new LinkedHashMap<>(e.details());
        return problem(409, e.code(), e.title(), e.getMessage(), extra);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return problem(404, "not-found", "Not found", e.getMessage(), Map.of());
    }

    /** Also names the subtypes, or the JSON provider's own mappers would answer first. */
    @ServerExceptionMapper({ JsonProcessingException.class, MismatchedInputException.class,
            UnrecognizedPropertyException.class })
    public Response unreadableBody(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? path(mapping.getPath()) : "";
        String message = e instanceof UnrecognizedPropertyException ? "is not a known field"
                : e instanceof JsonMappingException ? "has the wrong type or format"
                : "the body is not valid JSON" + where(e); // never echo the input: it may hold a password
        String name = field.isEmpty() ? "body" : field;
        return problem(400, "validation", "The request has invalid fields", name + " " + message,
                Map.of("errors", List.of(new FieldError(name, message))));
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthenticated(RuntimeException e) {
        return problem(401, "unauthenticated", "Authentication required",
                "The request carries no valid identity: call the API through the gateway with a bearer token", Map.of());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(403, "forbidden", "Admin rights required",
                "Changes need the admin role (manual: \"You need admin rights\")", Map.of());
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableBody(unreadable);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return problem(status, title.toLowerCase().replace(' ', '-'), title, e.getMessage(), Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (databaseOutOfReach(e)) {
            // Overload (every connection busy past the pool's acquisition timeout) or a database that refuses
            // connections: the command never began, and a client may retry it, as after the gateway's 503.
            LOG.warnf("No database connection for %s: %s", uri == null ? "the request" : uri.getPath(), e.getMessage());
            Response problem = problem(503, "overloaded", "Service overloaded",
                    "No database connection was free in time; nothing was changed. Try again after Retry-After seconds.",
                    Map.of());
            return Response.fromResponse(problem).header("Retry-After", "1").build();
        }
        LOG.error("Unexpected failure", e);
        return problem(500, "internal-error", "Internal error",
                "The request could not be completed; nothing was changed. Quote the X-Request-Id when reporting it.",
                Map.of());
    }

    /**
     * Whether the failure is a connection that could not be had: the pool's acquisition timeout (Agroal's
     * SQLException caused by a TimeoutException), a transient connection failure, or the server refusing
     * connections (SQLSTATE 08001, 08004, 53300 too many connections, 57P03 cannot connect now).
     */
    static boolean databaseOutOfReach(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && (sql.getCause() instanceof TimeoutException
                    || CONNECTIONS_REFUSED.contains(String.valueOf(sql.getSQLState())))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** An RFC 9457 answer of type {@code /problems/<code>} for this request, with the members of {@code extra} after the standard ones. */
    public Response problem(int status, String code, String title, String detail, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "/problems/" + code);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", uri == null ? null : uri.getPath());
        body.putAll(extra);
        return Response.status(status).type(MEDIA_TYPE).entity(body).build();
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String path(List<JsonMappingException.Reference> references) {
        return references.stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }
}
