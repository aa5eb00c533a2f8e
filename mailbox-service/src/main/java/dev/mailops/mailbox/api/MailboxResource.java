package dev.mailops.mailbox.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;

import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.errors.ValidationException;
import dev.mailops.kit.web.Caller;
import dev.mailops.mailbox.catalog.Catalog;
import dev.mailops.mailbox.command.AddAlias;
import dev.mailops.mailbox.command.ChangePassword;
import dev.mailops.mailbox.command.ChangeRate;
import dev.mailops.mailbox.command.CreateMailbox;
import dev.mailops.mailbox.command.MailboxCommands;
import dev.mailops.mailbox.domain.DomainName;
import dev.mailops.mailbox.domain.FieldViolations;
import dev.mailops.mailbox.domain.InvalidValue;
import dev.mailops.mailbox.query.MailboxQueries;
import dev.mailops.mailbox.store.EventStore;
import dev.mailops.mailbox.store.StoredEvent;
import dev.mailops.mailbox.store.StreamId;

/** Mailboxes and their aliases: create, list, look up, change password or rate, delete, and the history of each. */
@Path("/api/v1/mailboxes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class MailboxResource {

    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_PAGE = 100_000;

    @Inject
    MailboxCommands commands;
    @Inject
    MailboxQueries queries;
    @Inject
    EventStore eventStore;
    @Inject
    Catalog catalog;
    @Inject
    Caller caller;
    @Inject
    ObjectMapper json;

    @GET
    public Responses.Page<Responses.Mailbox> list(@QueryParam("domain") String domain, @QueryParam("q") String search,
            @QueryParam("page") @DefaultValue("0") String page, @QueryParam("size") @DefaultValue("20") String size) {
        FieldViolations errors = new FieldViolations();
        Integer pageNumber = errors.check("page", () -> number(page, 0, MAX_PAGE));
        Integer pageSize = errors.check("size", () -> number(size, 1, MAX_PAGE_SIZE));
        String domainFilter = domain == null || domain.isBlank() ? null
                : errors.check("domain", () -> DomainName.of(domain).name());
        String searchText = search == null || search.isBlank() ? null : errors.check("q", () -> searchText(search));
        errors.throwIfAny();
        var found = queries.mailboxes(caller.tenantId(), domainFilter, searchText, pageNumber, pageSize);
        return new Responses.Page<>(found.items().stream().map(view -> Responses.Mailbox.of(view, catalog)).toList(),
                found.page(), found.size(), found.totalItems(), found.totalPages());
    }

    @POST
    @RolesAllowed("admin")
    public Response create(CreateMailbox command) {
        requireBody(command);
        UUID id = commands.createMailbox(command, CallerMetadata.of(caller));
        return Response.created(URI.create("/api/v1/mailboxes/" + id)).entity(get(id)).build();
    }

    @GET
    @Path("/{id}")
    public Responses.Mailbox get(@PathParam("id") UUID id) {
        return queries.mailbox(caller.tenantId(), id)
                .map(view -> Responses.Mailbox.of(view, catalog))
                .orElseThrow(() -> new NotFoundException("No mailbox " + id));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    public Response delete(@PathParam("id") UUID id) {
        commands.deleteMailbox(id, CallerMetadata.of(caller));
        return Response.noContent().build();
    }

    /** Sets a new password (with its confirmation, under the policy of creation); answers without a body. */
    @PUT
    @Path("/{id}/password")
    @RolesAllowed("admin")
    public Response changePassword(@PathParam("id") UUID id, ChangePassword command) {
        requireBody(command);
        commands.changePassword(id, command, CallerMetadata.of(caller));
        return Response.noContent().build();
    }

    /** Moves the mailbox to another rate; answers with the mailbox as it is now (the same rate changes nothing). */
    @PUT
    @Path("/{id}/rate")
    @RolesAllowed("admin")
    public Responses.Mailbox changeRate(@PathParam("id") UUID id, ChangeRate command) {
        requireBody(command);
        commands.changeRate(id, command, CallerMetadata.of(caller));
        return get(id);
    }

    /** Every event of the mailbox, deleted ones included: the audit trail. */
    @GET
    @Path("/{id}/history")
    public List<Responses.HistoryEntry> history(@PathParam("id") UUID id) {
        List<StoredEvent> events = eventStore.history(StreamId.mailbox(id));
        if (events.isEmpty() || !events.get(0).tenantId.equals(caller.tenantId())) {
            throw new NotFoundException("No mailbox " + id);
        }
        return events.stream().map(this::historyEntry).toList();
    }

    @POST
    @Path("/{id}/aliases")
    @RolesAllowed("admin")
    public Response addAlias(@PathParam("id") UUID id, AddAlias command) {
        requireBody(command);
        commands.addAlias(id, command, CallerMetadata.of(caller));
        Responses.Mailbox mailbox = get(id);
        return Response.created(URI.create("/api/v1/mailboxes/" + id)).entity(mailbox).build();
    }

    @DELETE
    @Path("/{id}/aliases/{address}")
    @RolesAllowed("admin")
    public Response removeAlias(@PathParam("id") UUID id, @PathParam("address") String address) {
        commands.removeAlias(id, address, CallerMetadata.of(caller));
        return Response.noContent().build();
    }

    private Responses.HistoryEntry historyEntry(StoredEvent event) {
        try {
            return new Responses.HistoryEntry(event.eventId, event.eventType, event.streamVersion, event.occurredAt,
                    event.actor, event.correlationId, json.readTree(event.payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored event " + event.eventId + " is not JSON", e);
        }
    }

    static void requireBody(Object body) {
        if (body == null) {
            throw ValidationException.of("body", "a JSON object is required");
        }
    }

    private static String searchText(String search) {
        String text = search.strip();
        if (text.length() > 254 || text.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidValue("must be at most 254 characters without control characters");
        }
        return text;
    }

    static Integer number(String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidValue("must be a whole number from " + min + " to " + max);
    }
}
