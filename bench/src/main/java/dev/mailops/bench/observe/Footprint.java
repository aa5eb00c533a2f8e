package dev.mailops.bench.observe;

import static dev.mailops.bench.report.Report.f;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;
import dev.mailops.testinfra.ServiceProcess;

/**
 * What each service costs in memory and start-up: its resident memory after the run (VmRSS), and its
 * start-up both as the run began (side by side with the others) and again alone, restarted one at a
 * time while the others idle. Start-up is Quarkus's own "started in" and the time until
 * /q/health/ready first answered.
 */
public final class Footprint {

    /** The bounds: resident memory after the bench and start-up with the others idle. */
    static final long MAX_RESIDENT_MB = 256;
    static final double MAX_STARTUP_SECONDS = 3;
    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    private final LocalSystem system;

    public Footprint(LocalSystem system) {
        this.system = system;
    }

    /** Reports the resident memory now, then restarts each service alone and reports its start-up. */
    public void report(Report report) {
        Map<String, ServiceProcess> services = system.serviceProcesses();
        Map<String, Long> resident = new LinkedHashMap<>();
        Map<String, String> sideBySide = new LinkedHashMap<>();
        services.forEach((name, process) -> {
            resident.put(name, residentMegabytes(process.pid()));
            sideBySide.put(name, startup(process));
        });
        Map<String, String> alone = new LinkedHashMap<>();
        Map<String, Double> aloneSeconds = new LinkedHashMap<>();
        services.forEach((name, process) -> {
            system.kill(LocalSystem.SERVICE_PARTS.get(name));
            system.restart(LocalSystem.SERVICE_PARTS.get(name));
            alone.put(name, startup(process));
            aloneSeconds.put(name, startedIn(process));
        });
        report.heading("Footprint: resident memory after the run, start-up (" + javaVersion() + ")");
        report.line("Resident memory is each service's VmRSS after the whole run. Start-up is Quarkus's \"started in\" / "
                + "the time until /q/health/ready answered: at the run's start, side by side with the other services; "
                + "then each restarted alone (kill -9, start) while the others idle. Load average now: "
                + loadAverage() + " on " + Runtime.getRuntime().availableProcessors() + " cores.").line("");
        List<List<String>> rows = new ArrayList<>();
        services.keySet().forEach(name -> rows.add(List.of(name, resident.get(name) + " MB", sideBySide.get(name),
                alone.get(name))));
        report.table(List.of("service", "resident after the run", "start-up side by side", "start-up alone"), rows);
        resident.forEach((name, megabytes) -> report.target(name + " resident ≤ " + MAX_RESIDENT_MB + " MB after the bench",
                megabytes + " MB", megabytes >= 0 && megabytes <= MAX_RESIDENT_MB));
        aloneSeconds.forEach((name, seconds) -> report.target(name + " starts in ≤ " + f(MAX_STARTUP_SECONDS)
                + " s with the others idle", f(seconds) + " s", seconds >= 0 && seconds <= MAX_STARTUP_SECONDS));
    }

    private static String startup(ServiceProcess process) {
        double startedIn = startedIn(process);
        return (startedIn < 0 ? "?" : f(startedIn) + " s") + " / " + f(process.startup().toMillis() / 1000.0) + " s";
    }

    /** Quarkus's "started in" of the process's last start, or -1 when its log does not say. */
    static double startedIn(ServiceProcess process) {
        try {
            Matcher started = STARTED.matcher(Files.readString(process.log()));
            double seconds = -1;
            while (started.find()) {
                seconds = Double.parseDouble(started.group(1));
            }
            return seconds;
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
    }

    /** VmRSS of the process in MB, or -1 when it is gone. */
    static long residentMegabytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // reported as -1
        }
        return -1;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private String javaVersion() {
        String java = ServiceProcess.javaBinary();
        boolean aot = system.serviceProcesses().values().stream().anyMatch(ServiceProcess::startedWithAotCache);
        return "the services on " + java + (aot ? " with their AOT caches" : "");
    }
}
