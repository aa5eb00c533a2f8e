package dev.mailops.bench.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mailops.bench.load.Workload.Operation;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;

import static dev.mailops.bench.report.Report.f;

/**
 * Whether latency grows with the data: the same open-model mix at the same rate, over 1, 10 and 1,000
 * tenants, with 10,000 and then 1,000,000 mailboxes already in mailbox-service's store. The existing
 * mailboxes are bulk-loaded with SQL (a million through the API would take a day of password hashing),
 * as events with their read-model rows and address claims, spread over 1,000 other tenants.
 */
public final class ScaleRun {

    private static final int SEED_TENANTS = 1000;
    private final Report report;

    public ScaleRun(Report report) {
        this.report = report;
    }

    public void run(List<Integer> dataSizes, List<Integer> tenantCounts, double rate, Duration each) throws SQLException {
        try (LocalSystem system = LocalSystem.start(LocalSystem.Options.named("scale"));
             Api api = new Api(system.gatewayUrl())) {
            Workload workload = new Workload(api, system, system.run());
            int maxTenants = tenantCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
            workload.addTenants(maxTenants);
            workload.fillMailboxes(1);
            Drivers.Mix mix = new Drivers.Mix()
                    .with(Operation.ADD_ALIAS, 35)
                    .with(Operation.CHANGE_BASIC_FEE, 25)
                    .with(Operation.READ_MAILBOXES, 25)
                    .with(Operation.REGISTER_DOMAIN, 10)
                    .with(Operation.CREATE_MAILBOX, 5);
            List<List<String>> rows = new ArrayList<>();
            int seeded = 0;
            for (int size : dataSizes) {
                long seeding = System.nanoTime();
                seed(system, seeded, size);
                report.line("Loaded " + (size - seeded) + " mailboxes in " + f((System.nanoTime() - seeding) / 1e9) + " s");
                seeded = size;
                for (int tenants : tenantCounts) {
                    Workload slice = workload.firstTenants(tenants);
                    Recorder recorder = new Recorder();
                    slice.measureInto(recorder, outcome -> { });
                    double seconds = Drivers.openModel(slice, mix, rate, each);
                    for (Recorder.Summary summary : recorder.summaries(seconds)) {
                        rows.add(List.of(String.format("%,d", size), String.valueOf(tenants), summary.operation(),
                                String.valueOf(summary.count()), String.valueOf(summary.errors()), f(summary.p50()),
                                f(summary.p95()), f(summary.p99())));
                    }
                }
            }
            report.heading("Scale: " + f(rate) + " requests/s for " + each.toSeconds() + " s per cell (" + mix + ")");
            report.table(List.of("existing mailboxes", "tenants", "operation", "requests", "non-2xx", "p50 ms", "p95 ms",
                    "p99 ms"), rows);
        }
    }

    /** Bulk-loads mailboxes number {@code from} (inclusive) to {@code to} (exclusive), 100,000 per statement. */
    private static void seed(LocalSystem system, int from, int to) throws SQLException {
        try (Connection connection = system.connect("mailbox"); var statement = connection.createStatement()) {
            statement.execute("insert into mail_domain (domain, tenant_id, added_at) select 'seed' || t || '.example', "
                    + "'seed-' || t, now() from generate_series(0, " + (SEED_TENANTS - 1) + ") t on conflict do nothing");
            for (int chunk = from; chunk < to; chunk += 100_000) {
                int end = Math.min(to, chunk + 100_000);
                String series = "from generate_series(%d, %d) g".formatted(chunk, end - 1);
                String id = "md5('seed-' || g)::uuid";
                String tenant = "'seed-' || (g % " + SEED_TENANTS + ")";
                String address = "'u' || g || '@seed' || (g % " + SEED_TENANTS + ") || '.example'";
                statement.execute("insert into mailbox_view (mailbox_id, tenant_id, address, local_part, domain, first_name, "
                        + "last_name, system_user_id, forward_to, keep_copy, rate, created_at, version) select " + id + ", "
                        + tenant + ", " + address + ", 'u' || g, 'seed' || (g % " + SEED_TENANTS + ") || '.example', "
                        + "'Seed', 'Mailbox', 'seed', '[]'::jsonb, false, 'MAIL_LIGHT', now(), 1 " + series);
                statement.execute("insert into address_claim (address, tenant_id, mailbox_id, kind) select " + address
                        + ", " + tenant + ", " + id + ", 'MAILBOX' " + series);
                statement.execute("insert into event_store (event_id, stream_type, stream_id, stream_version, tenant_id, "
                        + "event_type, schema_version, payload, correlation_id, actor, occurred_at) select gen_random_uuid(), "
                        + "'Mailbox', (" + id + ")::text, 1, " + tenant + ", 'MailboxCreated', 1, jsonb_build_object("
                        + "'mailboxId', " + id + ", 'address', " + address + ", 'localPart', 'u' || g, 'domain', 'seed' || (g % "
                        + SEED_TENANTS + ") || '.example', 'firstName', 'Seed', 'lastName', 'Mailbox', 'systemUserId', 'seed', "
                        + "'forwardTo', '[]'::jsonb, 'keepCopy', false, 'rate', 'MAIL_LIGHT'), 'seed', 'seed', now() " + series);
            }
            statement.execute("analyze");
        }
    }
}
