package dev.mailops.bench.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.mailops.bench.load.Api;
import dev.mailops.bench.load.Drivers;
import dev.mailops.bench.load.Recorder;
import dev.mailops.bench.load.Workload;
import dev.mailops.bench.load.Workload.Operation;
import dev.mailops.bench.observe.Settling;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;
import dev.mailops.bench.system.LocalSystem.Part;

/**
 * Under steady load through the gateway, kills each part in turn (SIGKILL for the services, the broker
 * and the mail host's Dovecot and Postfix, an immediate shutdown for PostgreSQL), starts it again, lets the system settle, and then
 * checks the {@link Invariants}. Two mailbox-service instances run, with a short quarantine, so that
 * deleted addresses come due during the run and both schedulers compete for them.
 */
public final class ChaosRun {

    /** {@code steps}: the parts killed together in each fault; every part is in one step. */
    public record Settings(double rate, Duration before, Duration down, Duration after, String quarantine, int tenants,
            List<List<Part>> steps) {
        public static Settings full() {
            return new Settings(25, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(10), "PT30S", 10,
                    Arrays.stream(Part.values()).map(List::of).toList());
        }

        /**
         * The CI's run: every part still killed once under load, but in three faults: every service
         * behind and including the gateway at once, then the mail host's side together with the broker,
         * then the database, so restarts overlap. Short waits around each fault: the load never stops, a
         * part is down until its restart is ready (seconds in any case), and a quarantine of 8 s still
         * lets deleted addresses come due throughout the run, while the end waits less for the last ones.
         */
        public static Settings quick() {
            return new Settings(15, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(4), "PT8S", 4,
                    List.of(List.of(Part.MAILBOX, Part.GATEWAY, Part.BILLING, Part.DNS),
                            List.of(Part.MAILHOST, Part.MAIL_HOST, Part.KAFKA), List.of(Part.POSTGRES)));
        }
    }

    private final Settings settings;
    private final Report report;

    public ChaosRun(Settings settings, Report report) {
        this.settings = settings;
        this.report = report;
    }

    /** The system a chaos run needs: two mailbox-service instances, the settings' short quarantine. */
    public LocalSystem.Options systemOptions() {
        return LocalSystem.Options.named("chaos").withMailboxInstances(2).withQuarantine(settings.quarantine(), "1s");
    }

    /** Starts a system, runs the faults on it and returns the invariants (all of which must hold). */
    public List<Invariants.Check> run() throws Exception {
        try (LocalSystem system = LocalSystem.start(systemOptions())) {
            return run(system);
        }
    }

    /**
     * Runs the faults on a started system (of {@link #systemOptions()}) and returns the invariants. The
     * system is settled and running again afterwards.
     */
    public List<Invariants.Check> run(LocalSystem system) throws Exception {
        try (Api api = new Api(system.gatewayUrl())) {
            Workload workload = new Workload(api, system, system.run());
            workload.addTenants(settings.tenants());
            workload.fillMailboxes(3);
            List<Workload.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            Recorder recorder = new Recorder();
            workload.measureInto(recorder, outcomes::add);
            Drivers.Mix mix = new Drivers.Mix()
                    .with(Operation.CREATE_MAILBOX, 10)
                    .with(Operation.ADD_ALIAS, 30)
                    .with(Operation.DELETE_MAILBOX, 15)
                    .with(Operation.CHANGE_BASIC_FEE, 20)
                    .with(Operation.REGISTER_DOMAIN, 10)
                    .with(Operation.READ_CONTRACT, 15);
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Double> load = CompletableFuture.supplyAsync(
                    () -> Drivers.openModel(workload, mix, settings.rate(), Long.MAX_VALUE, stop::get));
            List<List<String>> faults = new ArrayList<>();
            try {
                for (List<Part> step : settings.steps()) {
                    pause(settings.before());
                    long killedAt = System.nanoTime();
                    step.forEach(system::kill);
                    pause(settings.down());
                    CompletableFuture.allOf(step.stream()
                            .map(part -> CompletableFuture.runAsync(() -> system.restart(part)))
                            .toArray(CompletableFuture[]::new)).join();
                    faults.add(List.of(step.stream().map(ChaosRun::label).collect(Collectors.joining(" + ")),
                            step.stream().map(ChaosRun::fault).collect(Collectors.joining(" + ")),
                            Report.f((System.nanoTime() - killedAt) / 1e9) + " s"));
                }
                pause(settings.after());
            } finally {
                stop.set(true);
            }
            double seconds = load.join();

            report.heading("Faults under " + Report.f(settings.rate()) + " requests/s (" + mix + "), "
                    + settings.tenants() + " tenants, 2 mailbox-service instances");
            report.table(List.of("parts killed together", "fault", "down until all ready again"), faults);
            report.line("");
            Map<String, Long> statuses = new TreeMap<>();
            outcomes.forEach(o -> statuses.merge(o.status() == Api.NO_ANSWER ? "no answer" : String.valueOf(o.status()),
                    1L, Long::sum));
            report.line("Requests: " + outcomes.size() + " in " + Report.f(seconds) + " s; by status " + statuses + ".");

            Settling settling = new Settling(system);
            long drain = settling.outboxDrainMillis(Duration.ofMinutes(2));
            long settleStart = System.nanoTime();
            // mailhost-service's group too: after the broker's and its own restart it may get its partitions
            // last, and the mail host's checks judge what it wrote.
            settling.awaitEveryConsumer(Duration.ofMinutes(3));
            long caughtUp = (System.nanoTime() - settleStart) / 1_000_000;
            awaitReleases(system, Duration.parse(settings.quarantine()).plusSeconds(30));
            report.line("Settled: outbox empty " + drain + " ms after the load; billing's, dns-service's and "
                    + "mailhost-service's consumers caught up " + caughtUp + " ms later.");

            List<Invariants.Check> checks = new Invariants(system).verify(List.copyOf(outcomes));
            report.heading("Invariants after the faults");
            report.table(List.of("invariant", "measured", "holds", "checked in"), checks.stream()
                    .map(c -> List.of(c.invariant(), c.figure(), c.holds() ? "yes" : "**VIOLATED**",
                            Report.f(c.seconds()) + " s")).toList());
            return checks;
        }
    }

    private static String fault(Part part) {
        return part == Part.POSTGRES ? "immediate shutdown"
                : part == Part.MAIL_HOST ? "SIGKILL of both masters, then infra/mailhost.sh start" : "SIGKILL";
    }

    private static String label(Part part) {
        return switch (part) {
            case MAILHOST -> "mailhost-service";
            case MAIL_HOST -> "Dovecot and Postfix";
            default -> part.name().toLowerCase();
        };
    }

    /** Waits until no quarantined address is due: the schedulers have released everything that came due. */
    private static void awaitReleases(LocalSystem system, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (var connection = system.connect("mailbox");
                 var rows = connection.createStatement().executeQuery(
                         "select count(*) from address_claim where blocked_until is not null")) {
                rows.next();
                if (rows.getLong(1) == 0) {
                    return;
                }
            }
            pause(Duration.ofMillis(500));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
