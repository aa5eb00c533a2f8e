package dev.mailops.mailbox.migration;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.mailops.mailbox.command.ImportMailbox;
import dev.mailops.mailbox.command.MailboxCommands;
import dev.mailops.mailbox.credentials.PasswordHasher;
import dev.mailops.mailbox.domain.FieldViolation;
import dev.mailops.mailbox.domain.InvalidFields;

/**
 * A migration file, checked and turned into a job. Every line is checked by the rules of the API
 * ({@link MailboxCommands#checkImport}) and against the lines before it (an address or alias twice in one
 * file); a dry run reports the result per line and field, an import accepts only a file without errors.
 * Plain passwords are hashed (Argon2id) before the job is stored: no password is kept in clear, not even
 * while the job waits.
 */
@ApplicationScoped
public class Imports {

    /** A line as checked: {@code create}, {@code unchanged} (the mailbox exists with these fields) or {@code invalid}. */
    public record LineReport(int line, String address, String outcome, UUID mailboxId, List<FieldViolation> errors) {
    }

    /** The result of checking a file. */
    public record Report(int totalLines, long create, long unchanged, long invalid, List<LineReport> lines) {
        public List<LineReport> invalidLines() {
            return lines.stream().filter(line -> "invalid".equals(line.outcome())).toList();
        }
    }

    /** The file has lines that break rules; nothing was stored. */
    public static final class InvalidImport extends RuntimeException {
        private final transient Report report;

        InvalidImport(Report report) {
            super(report.invalid() + " of " + report.totalLines() + " lines are invalid", null, false, false);
            this.report = report;
        }

        public Report report() {
            return report;
        }
    }

    @Inject
    MailboxCommands commands;
    @Inject
    ImportJobs jobs;
    @Inject
    PasswordHasher hasher;
    @Inject
    Clock clock;

    @ConfigProperty(name = "mailbox.import.max-lines", defaultValue = "10000")
    int maxLines;

    /** Checks every line of the file for the tenant, writing nothing. */
    public Report check(String tenantId, byte[] file) {
        return check(tenantId, MailboxCsv.read(file, maxLines));
    }

    /** Checks the file and, when every line passes, stores it as a queued job; returns the job's id. */
    public UUID start(String tenantId, String userId, byte[] file) {
        List<MailboxCsv.Line> lines = MailboxCsv.read(file, maxLines);
        Report report = check(tenantId, lines);
        if (report.invalid() > 0) {
            throw new InvalidImport(report);
        }
        List<ImportJobs.NewLine> stored = lines.parallelStream()
                .map(line -> new ImportJobs.NewLine(line.number(), address(line.mailbox()), hashed(line.mailbox())))
                .toList();
        UUID jobId = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        QuarkusTransaction.requiringNew().run(() -> jobs.create(jobId, tenantId, userId, stored, now));
        return jobId;
    }

    private ImportMailbox hashed(ImportMailbox mailbox) {
        return mailbox.password() == null ? mailbox : mailbox.withHash(hasher.hash(mailbox.password()));
    }

    private Report check(String tenantId, List<MailboxCsv.Line> lines) {
        Map<String, Integer> firstLineOf = new HashMap<>();
        List<LineReport> reports = new ArrayList<>(lines.size());
        for (MailboxCsv.Line line : lines) {
            List<FieldViolation> errors = new ArrayList<>(line.formatErrors());
            Optional<UUID> unchanged = Optional.empty();
            try {
                unchanged = commands.checkImport(line.mailbox(), tenantId);
            } catch (InvalidFields invalid) {
                errors.addAll(invalid.violations());
            }
            errors.addAll(repeated(line, firstLineOf));
            String outcome = !errors.isEmpty() ? "invalid" : unchanged.isPresent() ? "unchanged" : "create";
            reports.add(new LineReport(line.number(), address(line.mailbox()), outcome, unchanged.orElse(null),
                    List.copyOf(errors)));
        }
        return new Report(lines.size(), count(reports, "create"), count(reports, "unchanged"), count(reports, "invalid"),
                reports);
    }

    /** The line's addresses that an earlier line of the file has already; records this line's new ones. */
    private static List<FieldViolation> repeated(MailboxCsv.Line line, Map<String, Integer> firstLineOf) {
        List<FieldViolation> errors = new ArrayList<>();
        Map<String, String> addresses = new java.util.LinkedHashMap<>();
        addresses.put(address(line.mailbox()), "localPart");
        List<String> aliases = line.mailbox().aliases();
        for (int i = 0; i < aliases.size(); i++) {
            addresses.putIfAbsent(normalised(aliases.get(i)), "aliases[" + i + "]");
        }
        addresses.forEach((address, field) -> {
            Integer earlier = firstLineOf.putIfAbsent(address, line.number());
            if (earlier != null) {
                errors.add(new FieldViolation(field, address + " is in line " + earlier + " already"));
            }
        });
        return errors;
    }

    private static long count(List<LineReport> reports, String outcome) {
        return reports.stream().filter(report -> outcome.equals(report.outcome())).count();
    }

    static String address(ImportMailbox mailbox) {
        return normalised(mailbox.localPart() + "@" + mailbox.domain());
    }

    private static String normalised(String address) {
        return address == null ? "" : address.strip().toLowerCase(Locale.ROOT);
    }
}
