package dev.mailops.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

import dev.mailops.bench.load.Recorder;
import dev.mailops.testinfra.ServiceProcess;

/**
 * What a run found, as Markdown: printed while the run goes, and written into a document between the
 * markers {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}, so the prose around the figures stays.
 */
public final class Report {

    public record Target(String name, String measured, boolean met) {
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Target> targets = new ArrayList<>();

    public Report heading(String title) {
        return line("").line("### " + title).line("");
    }

    public Report line(String line) {
        text.append(line).append('\n');
        System.out.println(line);
        System.out.flush();
        return this;
    }

    public Report table(List<String> header, List<List<String>> rows) {
        line("| " + String.join(" | ", header) + " |");
        line("|" + "---|".repeat(header.size()));
        rows.forEach(row -> line("| " + String.join(" | ", row) + " |"));
        return this;
    }

    public Report commands(List<Recorder.Summary> summaries) {
        return table(List.of("operation", "sent", "accepted", "non-2xx", "not sent: no target", "per s", "p50 ms",
                "p95 ms", "p99 ms", "max ms"),
                summaries.stream().map(s -> List.of(s.operation(), String.valueOf(s.count()), String.valueOf(s.accepted()),
                        String.valueOf(s.errors()), String.valueOf(s.notSent()), f(s.perSecond()), f(s.p50()),
                        f(s.p95()), f(s.p99()), f(s.max()))).toList());
    }

    public static List<String> latencyRow(String what, Histogram millis) {
        if (millis.getTotalCount() == 0) {
            return List.of(what, "0", "", "", "", "");
        }
        return List.of(what, String.valueOf(millis.getTotalCount()), f(millis.getValueAtPercentile(50)),
                f(millis.getValueAtPercentile(95)), f(millis.getValueAtPercentile(99)), f(millis.getMaxValue()));
    }

    public Report target(String name, String measured, boolean met) {
        targets.add(new Target(name, measured, met));
        return this;
    }

    public Report targets() {
        heading("Targets");
        return table(List.of("target", "measured", "result"),
                targets.stream().map(t -> List.of(t.name(), t.measured(), t.met() ? "met" : "**missed**")).toList());
    }

    public List<Target> targetList() {
        return List.copyOf(targets);
    }

    /** Machine, date and versions: the context every figure needs. */
    public Report machine(String title) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long memory = os instanceof com.sun.management.OperatingSystemMXBean bean ? bean.getTotalMemorySize() : 0;
        line("## " + title).line("")
                .line("Run " + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")) + " on "
                        + cpuModel() + ", " + os.getAvailableProcessors() + " cores, " + (memory >> 30) + " GiB, "
                        + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", " + javaVersions()
                        + "; PostgreSQL, Kafka, the mail host, the five services and the harness all on this one machine.");
        return this;
    }

    /** The services' Java, and the harness's where it runs on another (./mailops runs the services on a JDK 25). */
    private static String javaVersions() {
        String services = ServiceProcess.javaVersion();
        String harness = System.getProperty("java.version");
        return services.equals(harness) ? "Java " + harness
                : "the services on Java " + services + " (the harness on Java " + harness + ")";
    }

    public void writeInto(Path document, String marker) {
        String begin = "<!-- " + marker + ":begin -->";
        String end = "<!-- " + marker + ":end -->";
        try {
            String existing = Files.exists(document) ? Files.readString(document) : "";
            int from = existing.indexOf(begin);
            int to = existing.indexOf(end);
            String updated = from >= 0 && to > from
                    ? existing.substring(0, from + begin.length()) + "\n" + text + existing.substring(to)
                    : existing + "\n" + begin + "\n" + text + end + "\n";
            Files.createDirectories(document.toAbsolutePath().getParent());
            Files.writeString(document, updated);
        } catch (IOException e) {
            throw new IllegalStateException("Could not write " + document, e);
        }
    }

    public static String f(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
