package dev.mailops.mailbox.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.Authenticated;

import dev.mailops.kit.errors.FieldError;
import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.errors.ValidationException;
import dev.mailops.kit.web.Caller;
import dev.mailops.kit.web.Problems;
import dev.mailops.mailbox.migration.ImportJobs;
import dev.mailops.mailbox.migration.Imports;
import dev.mailops.mailbox.migration.MailboxCsv;
import dev.mailops.mailbox.migration.MailboxExport;

/**
 * The migration: a CSV of mailboxes checked (dry run) or imported as a job, the job's progress and result,
 * and the tenant's mailboxes exported in the same format (docs/import.md).
 */
@Path("/api/v1")
@Authenticated
public class ImportResource {

    static final String CSV = "text/csv";
    /** How many of a refused file's errors the answer's errors member lists (its lines member has them all). */
    static final int MAX_LISTED_ERRORS = 100;

    @Inject
    Imports imports;
    @Inject
    ImportJobs jobs;
    @Inject
    MailboxExport export;
    @Inject
    Caller caller;
    @Inject
    Problems problems;

    @ConfigProperty(name = "mailbox.import.max-bytes", defaultValue = "8388608")
    int maxBytes;

    /** A job's state and counts; its lines' results once it is finished. No password or hash. */
    public record ImportStatus(UUID id, String state, int totalLines, long processedLines, long created,
            long unchanged, long failed, Instant createdAt, Instant startedAt, Instant finishedAt,
            List<ImportJobs.LineResult> lines) {
    }

    /**
     * With {@code dryRun=true}: checks every line and answers 200 with the result per line and field, writing
     * nothing. Otherwise: 202 with the job when every line passes (it runs in the service; poll its Location),
     * 400 naming each line's errors when one does not (nothing stored).
     */
    @POST
    @Path("/imports")
    @RolesAllowed("admin")
    @Consumes({ CSV, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@QueryParam("dryRun") boolean dryRun, @HeaderParam("Content-Length") Long length,
            InputStream body) throws IOException {
        byte[] file = read(length, body);
        if (dryRun) {
            return Response.ok(imports.check(caller.tenantId(), file)).build();
        }
        UUID id = imports.start(caller.tenantId(), caller.userId(), file);
        return Response.accepted(status(id)).location(URI.create("/api/v1/imports/" + id)).build();
    }

    @GET
    @Path("/imports/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public ImportStatus status(@PathParam("id") UUID id) {
        ImportJobs.Job job = jobs.job(caller.tenantId(), id).orElseThrow(() -> new NotFoundException("No import " + id));
        Map<String, Long> counts = jobs.counts(id);
        boolean finished = "finished".equals(job.state());
        return new ImportStatus(id, job.state(), job.totalLines(), job.totalLines() - counts.get("pending"),
                counts.get("created"), counts.get("unchanged"), counts.get("failed"), job.createdAt(), job.startedAt(),
                job.finishedAt(), finished ? jobs.results(id) : null);
    }

    /** The tenant's mailboxes, aliases and forwarding as CSV, streamed; never a password or hash. */
    @GET
    @Path("/exports/mailboxes.csv")
    @Produces(CSV + ";charset=UTF-8")
    public Response exportMailboxes() {
        String tenantId = caller.tenantId();
        StreamingOutput csv = out -> export.write(tenantId, out);
        return Response.ok(csv).header("Content-Disposition", "attachment; filename=\"mailboxes.csv\"")
                .header("Cache-Control", "no-store").build();
    }

    private byte[] read(Long length, InputStream body) throws IOException {
        if (length != null && length > maxBytes) {
            throw new FileTooLarge();
        }
        byte[] file = body == null ? new byte[0] : body.readNBytes(maxBytes + 1);
        if (file.length > maxBytes) {
            throw new FileTooLarge();
        }
        return file;
    }

    /** The upload is larger than mailbox.import.max-bytes. */
    static final class FileTooLarge extends RuntimeException {
        FileTooLarge() {
            super(null, null, false, false);
        }
    }

    @ServerExceptionMapper
    public Response tooLarge(FileTooLarge e) {
        return problems.problem(413, "file-too-large", "File too large", "The file is larger than " + maxBytes
                + " bytes; split it into several imports", Map.of());
    }

    @ServerExceptionMapper
    public Response unreadable(MailboxCsv.Unreadable e) {
        return problems.validation(ValidationException.of("file", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response invalidLines(Imports.InvalidImport e) {
        Imports.Report report = e.report();
        List<FieldError> errors = report.invalidLines().stream().flatMap(line -> line.errors().stream()
                .map(error -> new FieldError("lines[" + line.line() + "]." + error.field(), error.message()))).toList();
        Map<String, Object> extra = new LinkedHashMap<>();
        // The first errors by field, as every 400 names them; every line's own are in lines, so a file broken
        // throughout (10,000 lines) does not answer each error twice.
        extra.put("errors", errors.subList(0, Math.min(errors.size(), MAX_LISTED_ERRORS)));
        if (errors.size() > MAX_LISTED_ERRORS) {
            extra.put("errorsNotListed", errors.size() - MAX_LISTED_ERRORS);
        }
        extra.put("lines", report.invalidLines());
        return problems.problem(400, "import-invalid", "The file has invalid lines", report.invalid() + " of "
                + report.totalLines() + " lines break a rule; nothing was imported. Correct them and upload the file again"
                + " (a dry run reports the same)", extra);
    }
}
