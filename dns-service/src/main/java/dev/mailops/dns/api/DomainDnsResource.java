package dev.mailops.dns.api;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.xbill.DNS.Record;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.Authenticated;

import dev.mailops.dns.check.RecordCheck;
import dev.mailops.dns.clients.ClientSettings;
import dev.mailops.dns.messaging.RecordsChangedPublisher;
import dev.mailops.dns.server.AuthoritativeServer;
import dev.mailops.dns.server.ZoneCache;
import dev.mailops.dns.zone.DnsRecord;
import dev.mailops.dns.zone.DnsZone;
import dev.mailops.dns.zone.TenantRecords;
import dev.mailops.dns.zone.ZoneRecords;
import dev.mailops.dns.zone.ZoneStore;
import dev.mailops.dns.zone.rules.InvalidRecord;
import dev.mailops.dns.zone.rules.NewRecord;
import dev.mailops.dns.zone.rules.RecordConflict;
import dev.mailops.kit.errors.ConflictException;
import dev.mailops.kit.errors.FieldError;
import dev.mailops.kit.errors.FieldErrors;
import dev.mailops.kit.errors.InvalidValueException;
import dev.mailops.kit.errors.ValidationException;
import dev.mailops.kit.web.Caller;

/**
 * A tenant's domain in DNS: the domain assistant's records (the tenant's own TXT and other records),
 * the zone as a file, the check of every expected record, and the mail client settings. The zone
 * rules' refusals become problem+json here: invalid fields 400, conflicts with the zone 409.
 */
@Path("/api/v1/domains/{domain}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class DomainDnsResource {

    public record RecordView(long id, String source, String fqdn, String type, int ttl, String value, String managedBy) {
        static RecordView of(DnsRecord record) {
            String fqdn = record.name.equals("@") ? record.domain + "." : record.name + "." + record.domain + ".";
            return new RecordView(record.id, record.name, fqdn, record.type, record.ttl, record.value,
                    record.managedBy.name());
        }
    }

    /** One page of the zone's records, in the stored order (the provider's first), with the totals. */
    public record Records(String domain, long serial, List<RecordView> records, int page, int size, long totalItems,
            long totalPages) {
    }

    /** Larger than a zone holds by default, so one page shows a whole zone. */
    static final int DEFAULT_PAGE_SIZE = 200;
    static final int MAX_PAGE_SIZE = 500;
    static final int MAX_PAGE = 100_000;

    public record ClientSettingsView(String domain, String server, Map<String, List<ClientSettings.Row>> tables) {
    }

    @Inject
    ZoneStore zones;
    @Inject
    TenantRecords tenantRecords;
    @Inject
    ZoneRecords zoneRecords;
    @Inject
    ZoneCache cache;
    @Inject
    RecordsChangedPublisher publisher;
    @Inject
    RecordCheck recordCheck;
    @Inject
    AuthoritativeServer server;
    @Inject
    ClientSettings clientSettings;
    @Inject
    Caller caller;

    @GET
    @Path("/records")
    public Records records(@PathParam("domain") String domain, @QueryParam("page") @DefaultValue("0") String page,
            @QueryParam("size") @DefaultValue("" + DEFAULT_PAGE_SIZE) String size) {
        FieldErrors errors = new FieldErrors();
        Integer pageNumber = errors.check("page", () -> number(page, 0, MAX_PAGE));
        Integer pageSize = errors.check("size", () -> number(size, 1, MAX_PAGE_SIZE));
        errors.throwIfAny();
        return QuarkusTransaction.requiringNew().call(() -> {
            DnsZone zone = zones.own(domain, caller.tenantId());
            long total = zones.recordCount(zone.domain);
            List<RecordView> records = zones.records(zone.domain, pageNumber * pageSize, pageSize).stream()
                    .map(RecordView::of).toList();
            return new Records(zone.domain, zone.serial, records, pageNumber, pageSize, total,
                    (total + pageSize - 1) / pageSize);
        });
    }

    @POST
    @Path("/records")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    public Response add(@PathParam("domain") String domain, NewRecord input) {
        if (input == null) {
            throw ValidationException.of("body", "a JSON object is required");
        }
        DnsRecord record = decided(() -> tenantRecords.add(domain, caller.tenantId(), input));
        afterChange(record.domain);
        return Response.created(URI.create("/api/v1/domains/" + record.domain + "/records/" + record.id))
                .entity(RecordView.of(record)).build();
    }

    @DELETE
    @Path("/records/{id}")
    @RolesAllowed("admin")
    public Response remove(@PathParam("domain") String domain, @PathParam("id") long id) {
        decided(() -> {
            tenantRecords.remove(domain, caller.tenantId(), id);
            return null;
        });
        afterChange(domain.toLowerCase(Locale.ROOT));
        return Response.noContent().build();
    }

    /** The zone as an RFC 1035 master file, exactly as the DNS server serves it. */
    @GET
    @Path("/zone")
    @Produces(MediaType.TEXT_PLAIN)
    public String zoneFile(@PathParam("domain") String domain) {
        List<Record> served = served(domain);
        StringBuilder file = new StringBuilder();
        file.append("$ORIGIN ").append(served.get(0).getName()).append('\n');
        file.append("$TTL ").append(served.get(0).getTTL()).append('\n');
        served.forEach(record -> file.append(record).append('\n'));
        return file.toString();
    }

    @GET
    @Path("/check")
    public List<RecordCheck.Result> check(@PathParam("domain") String domain) {
        return recordCheck.check(served(domain), server.port());
    }

    @GET
    @Path("/client-settings")
    public ClientSettingsView clientSettings(@PathParam("domain") String domain) {
        DnsZone zone = QuarkusTransaction.requiringNew().call(() -> zones.own(domain, caller.tenantId()));
        return new ClientSettingsView(zone.domain, clientSettings.server(zone.domain), Map.of(
                "ssl", clientSettings.table("SSL/TLS", zone.domain),
                "starttls", clientSettings.table("STARTTLS", zone.domain),
                "unencrypted", clientSettings.table("none", zone.domain)));
    }

    private List<Record> served(String domain) {
        return QuarkusTransaction.requiringNew().call(() -> {
            DnsZone zone = zones.own(domain, caller.tenantId());
            return zoneRecords.served(zone, zones.records(zone.domain));
        });
    }

    /** A whole number within the bounds; the bounds keep {@code page * size} far from overflowing. */
    private static Integer number(String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidValueException("must be a whole number from " + min + " to " + max);
    }

    /** Runs a change the zone rules decide, with their refusals as the API's problems. */
    private static <T> T decided(Supplier<T> change) {
        try {
            return change.get();
        } catch (InvalidRecord e) {
            throw new ValidationException(e.violations().stream()
                    .map(violation -> new FieldError(violation.field(), violation.message())).toList());
        } catch (RecordConflict e) {
            throw new ConflictException(e.rule().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.rule().title(),
                    e.getMessage());
        }
    }

    private void afterChange(String domain) {
        cache.reload(domain);
        publisher.publishPending();
    }
}
