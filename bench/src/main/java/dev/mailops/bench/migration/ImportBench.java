package dev.mailops.bench.migration;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;

import dev.mailops.bench.load.Api;
import dev.mailops.bench.load.Workload;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;

/**
 * The migration import's figure: N mailboxes (each with an alias and its Argon2id hash, as a shop brings
 * them) uploaded through the gateway as CSV files no larger than the gateway takes, each a job that
 * mailbox-service works through itself; measured from the first upload to the last job's end, with the dry
 * run's time beside it. Then the same files again: everything unchanged, nothing created twice.
 */
public final class ImportBench {

    /** The gateway's request body limit of the import's upload (GATEWAY_IMPORT_MAX_BODY_SIZE, 8M), less room. */
    static final int MAX_FILE_BYTES = 8 * 1024 * 1024 - 16 * 1024;
    static final String HEADER = "localPart,domain,firstName,lastName,systemUserId,rate,forwardTo,keepCopy,aliases,"
            + "password,passwordHash\n";
    private static final Pattern FIELD = Pattern.compile("\"(created|unchanged|failed|totalLines)\":(\\d+)");

    private final LocalSystem system;
    private final Report report;

    public ImportBench(LocalSystem system, Report report) {
        this.system = system;
        this.report = report;
    }

    /** Returns the number of lines that did not end as expected (0 when all were created, then unchanged). */
    public long run(int mailboxes) {
        String tenant = "import-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = "import-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        String token = system.tokens().adminToken(tenant);
        try (Api api = new Api(system.gatewayUrl())) {
            check(api.callUntilServed("PUT", "/api/v1/domains/" + domain, token, null), "register the domain");
            String systemUser = Workload.systemUserOf(tenant);
            check(api.callUntilServed("POST", "/api/v1/users", token, Workload.systemUserBody(systemUser)), "create the system user");
            system.awaitKnownUsers(List.of(systemUser), Duration.ofSeconds(30));
            List<String> files = files(domain, systemUser, mailboxes, argon2id("Migrated-Pass-" + mailboxes));

            long dryRunStart = System.nanoTime();
            for (String file : files) {
                check(upload(api, token, file, true), "dry run");
            }
            Duration dryRun = Duration.ofNanos(System.nanoTime() - dryRunStart);

            Outcome first = importAll(api, token, files);
            Outcome second = importAll(api, token, files);

            report.heading("Migration import: " + mailboxes + " mailboxes")
                    .line(mailboxes + " mailboxes with one alias each and an Argon2id hash (m = 19,456 KiB, t = 2), in "
                            + files.size() + " CSV file(s) of at most " + MAX_FILE_BYTES / 1024 + " KiB (the gateway's body"
                            + " limit of the upload), uploaded through the gateway; each file a job that mailbox-service works through"
                            + " itself, each line through the command path (MailboxCreated, AliasAdded, the credential).")
                    .line("")
                    .table(List.of("phase", "time", "mailboxes/s", "created", "unchanged", "failed"), List.of(
                            List.of("dry run (checks only)", seconds(dryRun), Report.f(mailboxes / secs(dryRun)), "", "", ""),
                            List.of("import", seconds(first.time()), Report.f(mailboxes / secs(first.time())),
                                    String.valueOf(first.created()), String.valueOf(first.unchanged()),
                                    String.valueOf(first.failed())),
                            List.of("the same files again", seconds(second.time()), Report.f(mailboxes / secs(second.time())),
                                    String.valueOf(second.created()), String.valueOf(second.unchanged()),
                                    String.valueOf(second.failed()))));
            return (mailboxes - first.created()) + (mailboxes - second.unchanged()) + first.failed() + second.failed();
        }
    }

    record Outcome(Duration time, long created, long unchanged, long failed) {
    }

    private Outcome importAll(Api api, String token, List<String> files) {
        long start = System.nanoTime();
        List<String> locations = new ArrayList<>();
        for (String file : files) {
            Api.Reply accepted = check(upload(api, token, file, false), "import");
            Matcher id = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(accepted.body());
            if (!id.find()) {
                throw new IllegalStateException("No job id in " + accepted.body());
            }
            locations.add("/api/v1/imports/" + id.group(1));
        }
        long created = 0;
        long unchanged = 0;
        long failed = 0;
        for (String location : locations) {
            String status;
            do {
                sleep();
                status = check(api.call("GET", location, token, null), "poll the job").body();
            } while (!status.contains("\"state\":\"finished\""));
            created += field(status, "created");
            unchanged += field(status, "unchanged");
            failed += field(status, "failed");
        }
        return new Outcome(Duration.ofNanos(System.nanoTime() - start), created, unchanged, failed);
    }

    private static Api.Reply upload(Api api, String token, String file, boolean dryRun) {
        return api.send("POST", "/api/v1/imports" + (dryRun ? "?dryRun=true" : ""), token, "text/csv",
                file.getBytes(StandardCharsets.UTF_8)).join();
    }

    /** The mailboxes as CSV files, none larger than the gateway takes. */
    static List<String> files(String domain, String systemUser, int mailboxes, String hash) {
        List<String> files = new ArrayList<>();
        StringBuilder file = new StringBuilder(HEADER);
        for (int i = 0; i < mailboxes; i++) {
            String line = "user" + i + "," + domain + ",Vorname" + i + ",Nachname," + systemUser + ",MAIL_STANDARD,,false,"
                    + "alias" + i + "@" + domain + ",,\"" + hash + "\"\n"; // an Argon2id hash has commas
            if (file.length() + line.length() > MAX_FILE_BYTES) {
                files.add(file.toString());
                file = new StringBuilder(HEADER);
            }
            file.append(line);
        }
        files.add(file.toString());
        return files;
    }

    /** One hash at the service's cost for every line: the import takes a hash as it is. */
    static String argon2id(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = Argon2Factory.createAdvanced(Argon2Types.ARGON2id, salt.length, 32)
                .rawHash(2, 19456, 1, password.getBytes(StandardCharsets.UTF_8), salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static Api.Reply check(Api.Reply reply, String what) {
        if (!reply.ok()) {
            throw new IllegalStateException("Could not " + what + ": HTTP " + reply.status() + " " + reply.body());
        }
        return reply;
    }

    private static long field(String json, String name) {
        Matcher matcher = FIELD.matcher(json);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return Long.parseLong(matcher.group(2));
            }
        }
        return 0;
    }

    private static double secs(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static String seconds(Duration duration) {
        return Report.f(secs(duration)) + " s";
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
