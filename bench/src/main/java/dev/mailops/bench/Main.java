package dev.mailops.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.mailops.bench.chaos.ChaosRun;
import dev.mailops.bench.chaos.Invariants;
import dev.mailops.bench.fuzz.FuzzRun;
import dev.mailops.bench.load.Benchmark;
import dev.mailops.bench.mailhost.DkimBench;
import dev.mailops.bench.mailhost.MailHostBench;
import dev.mailops.bench.load.ScaleRun;
import dev.mailops.bench.replay.ReplayRun;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;
import dev.mailops.testinfra.LocalInfrastructure;

/**
 * {@code java -jar bench/target/bench.jar bench|chaos|fuzz|mailhost|replay|scale [--quick] [--no-write]};
 * {@code ./mailops bench} and friends build and call it. Each command starts its own copy of the system on databases and topics
 * of its own, prints its figures and writes them into docs/performance.md (unless --no-write).
 */
public final class Main {

    public static void main(String[] args) {
        // jboss-logmanager is on the class path (test-infra brings it); JUL must know before first use.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        Logger.getLogger("").setLevel(Level.WARNING);
        Logger.getLogger("org.apache.kafka").setLevel(Level.SEVERE);
        List<String> options = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        boolean quick = options.contains("--quick");
        boolean write = !options.contains("--no-write");
        String command = args.length == 0 ? "help" : args[0];
        Path document = LocalInfrastructure.repositoryRoot().resolve("docs/performance.md");
        int failures = switch (command) {
            case "bench" -> options.contains("--consumers-only") || options.contains("--open-only")
                    ? onePhase(options.contains("--open-only"), quick, Double.parseDouble(option(options, "--rate", "0")),
                            Integer.parseInt(option(options, "--seconds", "0")))
                    : bench(quick, write, document);
            case "chaos" -> chaos(quick, write, document);
            case "fuzz" -> fuzz(quick, write, document);
            case "mailhost" -> mailhost(quick, write, document);
            case "replay" -> replay(quick, write, document, Long.parseLong(option(options, "--events",
                    quick ? "20000" : "1000000")));
            case "scale" -> scale(quick, write, document);
            case "import" -> importMailboxes(quick, write, document);
            default -> {
                System.err.println("usage: bench.jar bench|chaos|fuzz|import|mailhost|replay|scale [--quick] [--no-write] "
                        + "[--events N (replay)] [--consumers-only|--open-only [--rate N] [--seconds N] (bench)]");
                yield 2;
            }
        };
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Returns the number of violated invariants. */
    static int chaos(boolean quick, boolean write, Path document) {
        Report report = new Report().machine("Chaos run" + (quick ? " (quick)" : ""));
        List<Invariants.Check> checks;
        try {
            checks = new ChaosRun(quick ? ChaosRun.Settings.quick() : ChaosRun.Settings.full(), report).run();
        } catch (Exception e) {
            throw new IllegalStateException("The chaos run failed", e);
        }
        if (write) {
            report.writeInto(document, "chaos");
        }
        return (int) checks.stream().filter(check -> !check.holds()).count();
    }

    /** Returns the number of 5xx, unanswered and badly refused requests plus writes by refused ones. */
    static int fuzz(boolean quick, boolean write, Path document) {
        Report report = new Report().machine("Fuzzing" + (quick ? " (quick)" : ""));
        FuzzRun.Figures figures;
        try (LocalSystem system = LocalSystem.start(LocalSystem.Options.named("fuzz"))) {
            figures = new FuzzRun(system, report, Long.getLong("seed", System.currentTimeMillis()))
                    .run(quick ? 1500 : 10_000);
        } catch (Exception e) {
            throw new IllegalStateException("The fuzz run failed", e);
        }
        if (write) {
            report.writeInto(document, "fuzz");
        }
        return (int) (figures.serverErrors() + figures.noAnswer() + figures.refusedNotProblemJson()
                + figures.writesOfRefused() + figures.unexplainedRows());
    }

    static int replay(boolean quick, boolean write, Path document, long events) {
        Report report = new Report().machine("Replay" + (quick ? " (quick)" : ""));
        ReplayRun.Figures figures;
        try {
            figures = new ReplayRun(report).run(events, quick ? 100 : 1000);
        } catch (Exception e) {
            throw new IllegalStateException("The replay run failed", e);
        }
        if (write) {
            report.writeInto(document, "replay");
        }
        return figures.billingEqual() && figures.dnsEqual() ? 0 : 1;
    }

    static int scale(boolean quick, boolean write, Path document) {
        Report report = new Report().machine("Scale" + (quick ? " (quick)" : ""));
        try {
            new ScaleRun(report).run(quick ? List.of(1_000, 10_000) : List.of(10_000, 1_000_000),
                    quick ? List.of(1, 10) : List.of(1, 10, 1000), quick ? 20 : 50,
                    java.time.Duration.ofSeconds(quick ? 5 : 20));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("The scale run failed", e);
        }
        if (write) {
            report.writeInto(document, "scale");
        }
        return 0;
    }

    /** The migration import of 10,000 mailboxes (1,000 with --quick); returns the lines that did not end as expected. */
    static int importMailboxes(boolean quick, boolean write, Path document) {
        Report report = new Report().machine("Migration import" + (quick ? " (quick)" : ""));
        long unexpected;
        try (LocalSystem system = LocalSystem.start(LocalSystem.Options.named("import"))) {
            unexpected = new dev.mailops.bench.migration.ImportBench(system, report).run(quick ? 1_000 : 10_000);
        }
        if (write) {
            report.writeInto(document, "import");
        }
        return (int) Math.min(unexpected, Integer.MAX_VALUE);
    }

    private static String option(List<String> options, String name, String fallback) {
        int at = options.indexOf(name);
        return at >= 0 && at + 1 < options.size() ? options.get(at + 1) : fallback;
    }

    static int bench(boolean quick, boolean write, Path document) {
        Report report = new Report().machine("Command benchmark" + (quick ? " (quick)" : ""));
        boolean mailHostMeasured;
        try (LocalSystem system = LocalSystem.start(LocalSystem.Options.named("bench"))) {
            new Benchmark(system, quick ? Benchmark.Settings.quick() : Benchmark.Settings.full(), report).run();
            mailHostMeasured = new MailHostBench(system, quick ? MailHostBench.Settings.quick()
                    : MailHostBench.Settings.full(), report).run();
        }
        if (write) {
            report.writeInto(document, "bench");
        }
        return mailHostMeasured ? 0 : 1;
    }

    /**
     * Only one phase of the bench, to study it (at another rate or for another time where given); its
     * figures are printed, not written. Consumers alone: events straight onto the topic, on services
     * warmed by the same events. Open model: the command mix below saturation, after the whole run's warm-up.
     */
    static int onePhase(boolean openModel, boolean quick, double rate, int seconds) {
        Report report = new Report().machine((openModel ? "Open model alone" : "Consumers alone") + (quick ? " (quick)" : ""));
        Benchmark.Settings settings = quick ? Benchmark.Settings.quick() : Benchmark.Settings.full();
        try (LocalSystem system = LocalSystem.start(LocalSystem.Options.named("bench"))) {
            if (openModel) {
                new Benchmark(system, settings.openAt(rate, seconds), report).runOpenModelAlone();
            } else {
                new Benchmark(system, settings.consumersAt(rate, seconds), report).runConsumersAlone();
            }
        }
        return 0;
    }

    /**
     * The mail host's figures (login latency after a create and deliveries per second are also part of
     * bench), then DKIM signing through Postfix without and with the milter, on a system with DKIM on.
     */
    static int mailhost(boolean quick, boolean write, Path document) {
        Report report = new Report().machine("Mail host" + (quick ? " (quick)" : ""));
        MailHostBench.Settings settings = quick ? MailHostBench.Settings.quick() : MailHostBench.Settings.full();
        boolean measured;
        try (LocalSystem system = LocalSystem.start(LocalSystem.Options.named("mailhost").withDkim())) {
            measured = new MailHostBench(system, settings, report).run();
            measured &= new DkimBench(system, settings, report).run();
        }
        if (write) {
            report.writeInto(document, "mailhost");
        }
        return measured ? 0 : 1;
    }
}
