package dev.mailops.bench.replay;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.bench.baseline.Baselines;
import dev.mailops.bench.chaos.Invariants;
import dev.mailops.bench.observe.CpuAccount;
import dev.mailops.bench.observe.Settling;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;

import static dev.mailops.bench.report.Report.f;

/**
 * Rebuilding the projections: a long synthetic history goes onto mailbox.events, billing-service and
 * dns-service consume it live, then each rebuilds its projection from the topic (the operators'
 * replay), and the rebuilt state must equal the live one. Replay speed is set against the broker's
 * own consumer reading the same topic.
 */
public final class ReplayRun {

    public record Figures(long events, boolean billingEqual, boolean dnsEqual, double billingPerSecond,
            double dnsPerSecond, double rawPerSecond) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Report report;

    public ReplayRun(Report report) {
        this.report = report;
    }

    public Figures run(long events, int tenants) throws Exception {
        try (LocalSystem system = LocalSystem.start(LocalSystem.Options.named("replay"))) {
            long start = System.nanoTime();
            double writing = new SyntheticHistory(system.eventsTopic()).write(events, tenants, system.run());
            new Settling(system).awaitConsumers(Duration.ofHours(3));
            double live = (System.nanoTime() - start) / 1e9;
            // The rates below are measured on an otherwise idle machine: mailhost-service, which this run does
            // not measure, would still be removing the mail of the history's deleted mailboxes (a doveadm call
            // each, about 55 a second for an hour) and take the cores from the consumers being measured.
            system.kill(LocalSystem.Part.MAILHOST);
            double raw = new Baselines(system.root().resolve("bench/target")).consumerRate(system.eventsTopic(), events);

            CpuAccount cpu = new CpuAccount(system);
            Map<String, String> billingLive = Invariants.stateOf(system, "billing");
            Map<String, Double> before = cpu.snapshot();
            JsonNode billingReplay = replay(system.billingUrl());
            Map<String, Double> billingCpu = CpuAccount.difference(before, cpu.snapshot());
            Map<String, String> billingRebuilt = Invariants.stateOf(system, "billing");
            Map<String, String> dnsLive = Invariants.stateOf(system, "dns");
            before = cpu.snapshot();
            JsonNode dnsReplay = replay(system.dnsUrl());
            Map<String, Double> dnsCpu = CpuAccount.difference(before, cpu.snapshot());
            Map<String, String> dnsRebuilt = Invariants.stateOf(system, "dns");

            double billingRate = rate(billingReplay);
            double dnsRate = rate(dnsReplay);
            Figures figures = new Figures(events, billingLive.equals(billingRebuilt), dnsLive.equals(dnsRebuilt),
                    billingRate, dnsRate, raw);
            report.heading("Replay of " + events + " events of " + tenants + " tenants");
            report.table(List.of("what", "events/s", "share of the raw consumer", "state"), List.of(
                    List.of("written to mailbox.events (synthetic history, " + f(writing) + " s)", f(events / writing), "", ""),
                    List.of("consumed live by billing and DNS, to zero lag (" + f(live) + " s)", f(events / live),
                            f(100 * events / live / raw) + " %", ""),
                    List.of("Kafka ConsumerPerformance on the same topic (from here on mailhost-service is stopped)",
                            f(raw), "100 %", ""),
                    List.of("billing replay (" + billingReplay.path("applied").asLong() + " applied)", f(billingRate),
                            f(100 * billingRate / raw) + " %", figures.billingEqual() ? "equals live: " + billingLive
                                    : "**differs**: live " + billingLive + ", rebuilt " + billingRebuilt),
                    List.of("DNS replay (" + dnsReplay.path("applied").asLong() + " applied)", f(dnsRate),
                            f(100 * dnsRate / raw) + " %", figures.dnsEqual() ? "equals live: " + dnsLive
                                    : "**differs**: live " + dnsLive + ", rebuilt " + dnsRebuilt)));
            // Where each rebuild's time went: the rebuilding service, PostgreSQL's COPY and index builds, or
            // something else that was still busy.
            report.heading("CPU seconds by process during each replay");
            report.table(List.of("process", "billing replay (" + f(billingReplay.path("millis").asDouble() / 1000)
                    + " s)", "DNS replay (" + f(dnsReplay.path("millis").asDouble() / 1000) + " s)"),
                    billingCpu.keySet().stream().map(part -> List.of(part, f(billingCpu.get(part)),
                            f(dnsCpu.getOrDefault(part, 0.0)))).toList());
            report.target("billing replay ≥ ¼ of the raw consumer rate", f(100 * billingRate / raw) + " %",
                    billingRate >= raw / 4);
            report.target("DNS replay ≥ ¼ of the raw consumer rate", f(100 * dnsRate / raw) + " %", dnsRate >= raw / 4);
            report.target("rebuilt state equals live state", figures.billingEqual() && figures.dnsEqual() ? "equal" : "differs",
                    figures.billingEqual() && figures.dnsEqual());
            report.targets();
            return figures;
        }
    }

    private static JsonNode replay(String serviceUrl) throws Exception {
        HttpResponse<String> response = Invariants.replay(serviceUrl);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Replay at " + serviceUrl + " answered " + response.statusCode() + " "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static double rate(JsonNode replay) {
        return replay.path("records").asDouble() * 1000 / Math.max(1, replay.path("millis").asDouble());
    }
}
