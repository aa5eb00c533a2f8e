package dev.mailops.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import dev.mailops.bench.baseline.Baselines;
import dev.mailops.bench.load.Workload.Operation;
import dev.mailops.bench.observe.CpuAccount;
import dev.mailops.bench.observe.DnsProbe;
import dev.mailops.bench.observe.FeedWatcher;
import dev.mailops.bench.observe.Footprint;
import dev.mailops.bench.observe.Propagation;
import dev.mailops.bench.observe.Settling;
import dev.mailops.bench.replay.SyntheticHistory;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;

import static dev.mailops.bench.report.Report.f;

/**
 * The command benchmark: raw baselines, each command at 8 closed-model clients, then the open-model
 * mix below saturation and at twice the rate the closed model sustained (at least the settings' rate),
 * with propagation to billing and DNS, the outbox drain and the refusals, then the consumers alone,
 * and the targets of issue 14 checked against the baselines and figures of the same run.
 */
public final class Benchmark {

    /**
     * openRate: the least rate of the overload run, which runs at twice what the closed model sustained
     * when that is more, and the rate of the consumers alone; lowerRate: an open-model run below saturation.
     */
    public record Settings(int baselineSeconds, int warmUpCount, int closedCount, int createCount, double openRate,
            double lowerRate, int openSeconds, int openTenants) {
        public static Settings full() {
            return new Settings(10, 2000, 3000, 400, 200, 60, 60, 20);
        }

        public static Settings quick() {
            return new Settings(3, 400, 400, 40, 50, 20, 10, 10);
        }

        /** The same with the consumers alone at this rate for this long; 0 keeps the setting. */
        public Settings consumersAt(double rate, int seconds) {
            return new Settings(baselineSeconds, warmUpCount, closedCount, createCount, rate > 0 ? rate : openRate,
                    lowerRate, seconds > 0 ? seconds : openSeconds, openTenants);
        }

        /** The same with the open model below saturation at this rate for this long; 0 keeps the setting. */
        public Settings openAt(double rate, int seconds) {
            return new Settings(baselineSeconds, warmUpCount, closedCount, createCount, openRate,
                    rate > 0 ? rate : lowerRate, seconds > 0 ? seconds : openSeconds, openTenants);
        }
    }

    static final int CLIENTS = 8;
    static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Issue 14: password-free commands at 8 clients reach 8 % of the raw 8-client INSERT rate... */
    static final double SHARE_OF_RAW_INSERTS = 0.08;
    /** ...at no more than this much CPU per command, summed over the system's processes. */
    static final double MAX_CPU_MS_PER_COMMAND = 2.5;
    static final double SHARE_OF_RAW_HASHES = 0.6;
    static final double MAX_ACCEPTED_P99_MS_IN_OVERLOAD = 1000;
    static final String HARNESS = "harness";
    static final Duration CONSUMERS_WARM_UP = Duration.ofSeconds(30);
    // The open model's password-free mix: create mailbox is limited by hashing, measured on its own.
    static final int ALIAS_WEIGHT = 55;
    static final int FEE_WEIGHT = 30;
    static final int DOMAIN_WEIGHT = 15;
    /**
     * How long one fee change may take in a system that meets the overload target: a read of the
     * booked plan (after a failed change) and the change, each answered within the target.
     */
    static final double FEE_CHANGE_SECONDS = 2 * MAX_ACCEPTED_P99_MS_IN_OVERLOAD / 1000;

    private final LocalSystem system;
    private final Settings settings;
    private final Report report;
    private final CpuAccount cpu;
    private final List<List<String>> cpuRows = new ArrayList<>();
    private final Map<String, Double> systemCpuMsPerRequest = new java.util.HashMap<>();
    private List<String> cpuParts = List.of();

    public Benchmark(LocalSystem system, Settings settings, Report report) {
        this.system = system;
        this.settings = settings;
        this.report = report;
        this.cpu = new CpuAccount(system);
    }

    public void run() {
        Baselines.Figures raw = new Baselines(system.tokens().publicKeyFile().getParent()).measure(settings.baselineSeconds());
        report.heading("Raw baselines of this machine")
                .table(List.of("what", "figure"), List.of(
                        List.of("PostgreSQL single-row INSERT transactions, 1 client (pgbench)", f(raw.insertTps1()) + " tx/s"),
                        List.of("PostgreSQL single-row INSERT transactions, 8 clients (pgbench)", f(raw.insertTps8()) + " tx/s"),
                        List.of("Kafka ProducerPerformance (600 B, acks=all, idempotent)", f(raw.producerRecordsPerSecond()) + " records/s"),
                        List.of("Kafka ConsumerPerformance", f(raw.consumerRecordsPerSecond()) + " records/s"),
                        List.of("Kafka EndToEndLatency (acks=all) p50 / p99", f(raw.kafkaEndToEndP50()) + " / "
                                + f(raw.kafkaEndToEndP99()) + " ms"),
                        List.of("Argon2id " + raw.hashCost() + " on " + raw.hashThreads() + " threads",
                                f(raw.hashesPerSecond()) + " hashes/s")));

        try (Api api = new Api(system.gatewayUrl())) {
            Workload workload = new Workload(api, system, system.run());
            workload.addTenants(Math.max(CLIENTS, settings.openTenants()));
            warmUp(workload);
            double sustained = closedModel(workload, raw);
            openModel(workload, settings.lowerRate(), false);
            openModel(workload, Math.max(settings.openRate(), 2 * sustained), true);
        }
        consumersAlone(settings.openRate());
        new Footprint(system).report(report);
        report.targets();
    }

    /**
     * Only the consumers alone, at the settings' open rate, and their targets. The services are new, so
     * the same events run first, untimed: in the whole run the phases before warm them up.
     */
    public void runConsumersAlone() {
        Settling settling = new Settling(system);
        settling.awaitEveryConsumer(Duration.ofMinutes(5));
        new SyntheticHistory(system.eventsTopic()).writePaced(settings.openTenants(), "warm-" + system.run(),
                settings.openRate(), CONSUMERS_WARM_UP);
        settling.awaitConsumers(Duration.ofMinutes(5));
        consumersAlone(settings.openRate());
        report.targets();
    }

    /**
     * Only the open model below saturation (at the settings' lower rate), after the same untimed warm-up
     * as the whole run, and its target: to study where a command's time goes when the machine has cores
     * to spare.
     */
    public void runOpenModelAlone() {
        try (Api api = new Api(system.gatewayUrl())) {
            Workload workload = new Workload(api, system, system.run());
            workload.addTenants(Math.max(CLIENTS, settings.openTenants()));
            warmUp(workload);
            openModel(workload, settings.lowerRate(), false);
        }
        report.targets();
    }

    /** Untimed: the JIT compiles the hot paths of all four services before anything is measured. */
    private void warmUp(Workload workload) {
        workload.measureInto(new Recorder(), outcome -> { });
        Drivers.closedModel(workload, Operation.CREATE_MAILBOX, CLIENTS, 4 * CLIENTS);
        for (Operation operation : List.of(Operation.ADD_ALIAS, Operation.CHANGE_BASIC_FEE, Operation.READ_MAILBOXES,
                Operation.READ_CONTRACT, Operation.REGISTER_DOMAIN)) {
            Drivers.closedModel(workload, operation, CLIENTS, settings.warmUpCount());
        }
        Drivers.closedModel(workload, Operation.DELETE_MAILBOX, CLIENTS, CLIENTS);
    }

    /** Returns the rate of the open model's mix the closed model sustained (by its alias and fee rates). */
    private double closedModel(Workload workload, Baselines.Figures raw) {
        report.heading("Each operation alone, " + CLIENTS + " clients back to back (closed model)");
        List<Recorder.Summary> rows = new ArrayList<>();
        rows.add(closed(workload, Operation.CREATE_MAILBOX, settings.createCount()));
        // Aliases need mailboxes with room (50 each), deletes need mailboxes: make them first, untimed.
        workload.fillMailboxes(settings.closedCount() / CLIENTS / 40 + 2);
        rows.add(closed(workload, Operation.ADD_ALIAS, settings.closedCount()));
        rows.add(closed(workload, Operation.CHANGE_BASIC_FEE, settings.closedCount()));
        rows.add(closed(workload, Operation.READ_MAILBOXES, settings.closedCount()));
        rows.add(closed(workload, Operation.READ_CONTRACT, settings.closedCount()));
        rows.add(closed(workload, Operation.DELETE_MAILBOX, workload.fewestMailboxes(CLIENTS) * CLIENTS));
        report.commands(rows);
        report.line("").line("CPU per request, by process: from a settled system until the relay and both consumers "
                + "had finished what the phase caused (includes their idle time until the consumers' next offset commit).");
        List<String> header = new ArrayList<>(List.of("CPU ms per request"));
        header.addAll(cpuParts);
        header.addAll(List.of("all", "machine busy"));
        report.line("").table(header, cpuRows);

        double needed = SHARE_OF_RAW_INSERTS * raw.insertTps8();
        double aliasRate = 0;
        double feeRate = 0;
        for (Recorder.Summary row : rows) {
            String operation = row.operation();
            if (operation.equals(Operation.ADD_ALIAS.label()) || operation.equals(Operation.DELETE_MAILBOX.label())
                    || operation.equals(Operation.CHANGE_BASIC_FEE.label())) {
                report.target(operation + " ≥ " + f(100 * SHARE_OF_RAW_INSERTS) + " % of raw INSERT tx/s at 8 clients ("
                        + f(needed) + "/s)", f(row.perSecond()) + "/s = " + f(100 * row.perSecond() / raw.insertTps8())
                        + " % of raw", row.perSecond() >= needed && row.errors() == 0);
                double cpu = systemCpuMsPerRequest.getOrDefault(operation, -1.0);
                report.target(operation + " ≤ " + f(MAX_CPU_MS_PER_COMMAND) + " ms CPU per command, every process but "
                        + "the harness", f(cpu) + " ms", cpu >= 0 && cpu <= MAX_CPU_MS_PER_COMMAND);
            }
            if (operation.equals(Operation.ADD_ALIAS.label())) {
                aliasRate = row.perSecond();
            }
            if (operation.equals(Operation.CHANGE_BASIC_FEE.label())) {
                feeRate = row.perSecond();
            }
            if (operation.equals(Operation.CREATE_MAILBOX.label())) {
                report.target("create mailbox ≥ " + f(100 * SHARE_OF_RAW_HASHES) + " % of the raw Argon2id rate ("
                        + f(SHARE_OF_RAW_HASHES * raw.hashesPerSecond()) + "/s)", f(row.perSecond()) + "/s = "
                        + f(100 * row.perSecond() / raw.hashesPerSecond()) + " % of raw",
                        row.perSecond() >= SHARE_OF_RAW_HASHES * raw.hashesPerSecond() && row.errors() == 0);
            }
        }
        // The mix's sustained rate: each command takes 1/rate of the machine; new domains cost about an alias.
        double sustained = (ALIAS_WEIGHT + FEE_WEIGHT + DOMAIN_WEIGHT)
                / ((ALIAS_WEIGHT + DOMAIN_WEIGHT) / aliasRate + FEE_WEIGHT / feeRate);
        report.line("").line("Sustained by 8 closed-model clients, for the open model's mix (from the add alias and "
                + "change basic fee rates above, a new domain counted as an alias): " + f(sustained) + " commands/s.");
        return sustained;
    }

    private Recorder.Summary closed(Workload workload, Operation operation, int count) {
        Recorder recorder = new Recorder();
        workload.measureInto(recorder, outcome -> { });
        // CPU from a settled system until the work the phase caused (relay, consumers) is done too.
        Settling settling = new Settling(system);
        settling.awaitConsumers(Duration.ofMinutes(5));
        Map<String, Double> before = cpu.snapshot();
        double seconds = Drivers.closedModel(workload, operation, CLIENTS, count);
        settling.outboxDrainMillis(Duration.ofMinutes(1));
        settling.awaitConsumers(Duration.ofMinutes(5));
        Map<String, Double> used = CpuAccount.difference(before, cpu.snapshot());
        List<String> row = new ArrayList<>(List.of(operation.label()));
        used.values().forEach(value -> row.add(f(1000 * value / count)));
        systemCpuMsPerRequest.put(operation.label(), 1000 * used.entrySet().stream()
                .filter(part -> !part.getKey().equals(HARNESS)).mapToDouble(Map.Entry::getValue).sum() / count);
        row.add(f(1000 * used.values().stream().mapToDouble(Double::doubleValue).sum() / count));
        row.add(f(100 * used.values().stream().mapToDouble(Double::doubleValue).sum() / seconds / CORES) + " %");
        cpuRows.add(row);
        cpuParts = List.copyOf(used.keySet());
        return recorder.summaries(seconds).stream().filter(s -> s.operation().equals(operation.label())).findFirst()
                .orElseThrow();
    }

    private void openModel(Workload workload, double rate, boolean checkTargets) {
        // The commands without a password (create mailbox is limited by hashing, measured on its own
        // above), and new domains, whose DNS answers the harness waits for.
        Drivers.Mix mix = new Drivers.Mix()
                .with(Operation.ADD_ALIAS, ALIAS_WEIGHT)
                .with(Operation.CHANGE_BASIC_FEE, FEE_WEIGHT)
                .with(Operation.REGISTER_DOMAIN, DOMAIN_WEIGHT);
        int missingTenants = tenantsForFeeChanges(rate) - workload.tenantCount();
        if (missingTenants > 0) {
            workload.addTenants(missingTenants);
        }
        workload.fillMailboxes((int) Math.ceil(rate * settings.openSeconds() * 0.55 / Workload.ALIAS_LIMIT
                / workload.tenantCount()) + 1);
        Settling settling = new Settling(system);
        settling.awaitConsumers(Duration.ofMinutes(5));
        Recorder recorder = new Recorder();
        Propagation propagation = new Propagation();
        AtomicLong maxBacklog = new AtomicLong();
        long drainMillis;
        double seconds;
        try (DnsProbe dns = new DnsProbe(system.dnsPort())) {
            workload.measureInto(recorder, outcome -> {
                propagation.record(outcome);
                if (outcome.accepted() && outcome.operation() == Operation.REGISTER_DOMAIN) {
                    dns.watch(outcome.subject(), outcome.sentAt());
                }
            });
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            Map<String, Double> cpuBefore;
            long loadStart;
            try (Settling.OutboxBacklog backlog = settling.outboxBacklog()) {
                sampler.scheduleAtFixedRate(() -> maxBacklog.accumulateAndGet(backlog.rows(), Math::max),
                        0, 100, TimeUnit.MILLISECONDS);
                cpuBefore = cpu.snapshot();
                loadStart = System.nanoTime();
                try {
                    seconds = Drivers.openModel(workload, mix, rate, Duration.ofSeconds(settings.openSeconds()));
                } finally {
                    sampler.shutdownNow();
                }
            }
            Map<String, Double> cpuUsed = CpuAccount.difference(cpuBefore, cpu.snapshot());
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            drainMillis = settling.outboxDrainMillis(Duration.ofSeconds(30));
            settling.awaitConsumers(Duration.ofMinutes(5));
            var dnsAnswers = dns.finish();
            Propagation.Figures figures = propagation.measure(system.eventsTopic(), system.billingTopic(), system.dnsTopic());

            report.heading("Open model: " + f(rate) + " commands/s for " + settings.openSeconds() + " s, "
                    + workload.tenantCount() + " tenants (" + mix + ")");
            List<Recorder.Summary> rows = recorder.summaries(seconds);
            report.commands(rows);
            report.line("").line("Propagation (ms; event = its record on mailbox.events; billing = the ContractUpdated "
                    + "published after the revision committed; DNS = the first authoritative answer for the new domain):")
                    .line("");
            report.table(List.of("from → to", "count", "p50", "p95", "p99", "max"), List.of(
                    Report.latencyRow("command sent → event on mailbox.events", figures.commandToTopic()),
                    Report.latencyRow("event → billing contract revision", figures.eventToBilling()),
                    Report.latencyRow("command sent → billing contract revision", figures.commandToBilling()),
                    Report.latencyRow("event → DNS zone stored (DnsRecordsChanged)", figures.eventToDns()),
                    Report.latencyRow("command sent → DNS server answers", dnsAnswers)));
            // Which process the load keeps busy: the cores each used from the first request to the last answer.
            report.line("").line("Cores used from the first request to the last answer (" + f(loadSeconds) + " s): "
                    + cpuUsed.entrySet().stream().map(process -> process.getKey() + " " + cores(process.getValue()
                            / loadSeconds)).collect(java.util.stream.Collectors.joining(", ")) + "; all "
                    + cores(cpuUsed.values().stream().mapToDouble(Double::doubleValue).sum() / loadSeconds) + " of "
                    + CORES + ".");
            report.line("").line("Outbox: at most " + maxBacklog.get() + " rows waiting during the load (sampled every "
                    + "100 ms); empty " + drainMillis + " ms after the last answer. " + figures.unmatched()
                    + " accepted commands without an event, " + dns.unanswered() + " new domains never answered.");

            if (!checkTargets) {
                Histogram commandToBilling = figures.commandToBilling();
                report.target("command → billing revision p99 < 50 ms at " + f(rate) + " commands/s",
                        f(commandToBilling.getValueAtPercentile(99)) + " ms",
                        commandToBilling.getTotalCount() > 0 && commandToBilling.getValueAtPercentile(99) < 50);
                // a rate the gateway sheds is an overload, and the overload's targets tell how graceful it was
                if (recorder.refusedLatency().getTotalCount() > 0) {
                    overloadTargets(rate, recorder, figures);
                }
                return;
            }
            overloadTargets(rate, recorder, figures);
            report.target("outbox empty within 1 s after the load", drainMillis + " ms",
                    drainMillis >= 0 && drainMillis <= 1000);
        }
    }

    /**
     * A tenant has one fee change in flight at a time (the harness must know the booked plan to send a
     * change that is one), so the mix needs the fee changes' rate times their duration in tenants. With
     * fewer, the load would have to leave out fee changes even from a system that answers in time.
     */
    static int tenantsForFeeChanges(double rate) {
        double feeChangesPerSecond = rate * FEE_WEIGHT / (ALIAS_WEIGHT + FEE_WEIGHT + DOMAIN_WEIGHT);
        return (int) Math.ceil(feeChangesPerSecond * FEE_CHANGE_SECONDS);
    }

    /**
     * Overload is graceful: what is accepted stays fast, the rest is refused at once with 503 and
     * Retry-After and leaves nothing behind, and the mix is the one meant.
     */
    private void overloadTargets(double rate, Recorder recorder, Propagation.Figures figures) {
        String at = " at " + f(rate) + " commands/s";
        Histogram accepted = recorder.acceptedLatency();
        Histogram refused = recorder.refusedLatency();
        double acceptedP99 = accepted.getValueAtPercentile(99) / 1e6;
        report.target("accepted commands p99 < " + f(MAX_ACCEPTED_P99_MS_IN_OVERLOAD) + " ms" + at,
                f(acceptedP99) + " ms (" + accepted.getTotalCount() + " accepted)",
                accepted.getTotalCount() > 0 && acceptedP99 < MAX_ACCEPTED_P99_MS_IN_OVERLOAD);
        double refusedP99 = refused.getValueAtPercentile(99) / 1e6;
        report.target("every refusal a 503 with Retry-After, answered within " + f(MAX_ACCEPTED_P99_MS_IN_OVERLOAD)
                + " ms (p99)" + at, refused.getTotalCount() + " refused, " + recorder.overloadedWithRetryAfter()
                + " of them 503 with Retry-After, p99 " + f(refusedP99) + " ms",
                refused.getTotalCount() == recorder.overloadedWithRetryAfter()
                        && refusedP99 < MAX_ACCEPTED_P99_MS_IN_OVERLOAD);
        report.target("nothing half-written" + at + ": every accepted command on mailbox.events, no refused one",
                figures.unmatched() + " accepted without an event, " + figures.refusedWritten() + " refused with one",
                figures.unmatched() == 0 && figures.refusedWritten() == 0);
        long notSent = recorder.summaries(1).stream().mapToLong(Recorder.Summary::notSent).sum();
        // A fee change finds no tenant only when the changes in flight outlast FEE_CHANGE_SECONDS: the
        // system's latency, which the accepted p99 above shows too.
        report.target("the mix as meant" + at + ": every operation sent as picked (" + tenantsForFeeChanges(rate)
                + " tenants or more: enough for fee changes answered within " + f(FEE_CHANGE_SECONDS) + " s)",
                notSent + " not sent", notSent == 0);
    }

    /**
     * The open model's mix as events written straight onto mailbox.events at the target rate: what
     * billing and DNS take to follow when the command path in front of them is not the bottleneck.
     */
    private void consumersAlone(double rate) {
        Settling settling = new Settling(system);
        settling.awaitEveryConsumer(Duration.ofMinutes(5));
        String prefix = "direct-" + system.run();
        Map<String, Double> before = cpu.snapshot();
        new SyntheticHistory(system.eventsTopic()).writePaced(settings.openTenants(), prefix, rate,
                Duration.ofSeconds(settings.openSeconds()));
        settling.awaitConsumers(Duration.ofMinutes(5));
        Map<String, Double> used = CpuAccount.difference(before, cpu.snapshot());
        Propagation.Figures figures = Propagation.measureEvents(system.eventsTopic(), system.billingTopic(),
                system.dnsTopic(), prefix);
        long events = (long) (rate * settings.openSeconds());
        report.heading("Consumers alone: " + f(rate) + " events/s for " + settings.openSeconds()
                + " s straight onto mailbox.events (55 % AliasAdded, 30 % FeeChanged, 15 % DomainAdded)");
        report.table(List.of("from → to", "count", "p50", "p95", "p99", "max"), List.of(
                Report.latencyRow("event → billing contract revision", figures.eventToBilling()),
                Report.latencyRow("event → DNS zone stored (DnsRecordsChanged)", figures.eventToDns())));
        report.line("").line("CPU per event written: billing-service " + f(1000 * used.getOrDefault("billing-service", 0.0)
                / events) + " ms, dns-service " + f(1000 * used.getOrDefault("dns-service", 0.0) / events) + " ms, "
                + "gateway (its live feed, nobody watching) " + f(1000 * used.getOrDefault("gateway", 0.0) / events) + " ms; "
                + "every process: " + used.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(process -> process.getKey() + " " + f(1000 * process.getValue() / events) + " ms")
                        .collect(java.util.stream.Collectors.joining(", ")) + ".");
        String alone = " (consumers alone, " + f(rate) + " events/s)";
        projectionTarget("event → billing projection", alone, figures.eventToBilling());
        projectionTarget("event → DNS projection", alone, figures.eventToDns());
        liveFeedWatched(rate);
    }

    /** The same events again, with an admin of one of the tenants watching the live feed: what the feed costs in use. */
    private void liveFeedWatched(double rate) {
        Settling settling = new Settling(system);
        settling.awaitEveryConsumer(Duration.ofMinutes(5));
        String prefix = "watched-" + system.run();
        int seconds = Math.max(5, settings.openSeconds() / 2);
        try (FeedWatcher watcher = FeedWatcher.open(system.gatewayUrl(), system.tokens().adminToken(prefix + "-t0"))) {
            Map<String, Double> before = cpu.snapshot();
            new SyntheticHistory(system.eventsTopic()).writePaced(settings.openTenants(), prefix, rate,
                    Duration.ofSeconds(seconds));
            settling.awaitConsumers(Duration.ofMinutes(5));
            double gateway = CpuAccount.difference(before, cpu.snapshot()).getOrDefault("gateway", 0.0);
            report.line("").line("The same for " + seconds + " s with an admin of one of the " + settings.openTenants()
                    + " tenants watching the live feed (" + watcher.events() + " events shown): gateway "
                    + f(1000 * gateway / (rate * seconds)) + " ms CPU per event written.");
        }
    }

    private static String cores(double value) {
        return String.format(java.util.Locale.ROOT, "%.2f", value);
    }

    /** The propagation target: p50 under 10 ms and p99 under 50 ms. */
    private void projectionTarget(String what, String condition, Histogram latency) {
        report.target(what + " p50 < 10 ms, p99 < 50 ms" + condition,
                f(latency.getValueAtPercentile(50)) + " / " + f(latency.getValueAtPercentile(99)) + " ms",
                latency.getValueAtPercentile(50) < 10 && latency.getValueAtPercentile(99) < 50);
    }
}
