package dev.mailops.bench.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mailops.bench.system.LocalSystem;

/**
 * CPU time by part of the system (services, broker, PostgreSQL, the harness itself), from
 * /proc/PID/stat, so a benchmark can say which process a request costs how much CPU in.
 */
public final class CpuAccount {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final LocalSystem system;

    public CpuAccount(LocalSystem system) {
        this.system = system;
    }

    /** CPU seconds used so far, by part; processes that did not exist at the first snapshot count from zero. */
    public Map<String, Double> snapshot() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        system.servicePids().forEach((name, pids) -> seconds.put(name, pids.stream().mapToDouble(CpuAccount::cpu).sum()));
        seconds.put("kafka", pidFile(system.root().resolve(".infra/data/kafka/kafka.pid")));
        seconds.put("postgresql", processesOf("postgres"));
        seconds.put("harness", cpu(ProcessHandle.current().pid()));
        return seconds;
    }

    public static Map<String, Double> difference(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new LinkedHashMap<>();
        after.forEach((part, seconds) -> used.put(part, Math.max(0, seconds - before.getOrDefault(part, 0.0))));
        return used;
    }

    private static double pidFile(Path file) {
        try {
            return cpu(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * CPU seconds so far of the processes named {@code command} whose command line contains one of
     * {@code markers} (e.g. one mail host's folder or port, where several run the same daemon); -1 when none runs.
     */
    public static double processesOf(String command, java.util.List<String> markers) {
        try (var processes = Files.list(Path.of("/proc"))) {
            double[] seconds = processes.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("comm")).trim().equals(command)
                                    && markers.stream().anyMatch(
                                            new String(Files.readAllBytes(p.resolve("cmdline")))::contains);
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .mapToDouble(p -> cpu(Long.parseLong(p.getFileName().toString()))).toArray();
            return seconds.length == 0 ? -1 : java.util.Arrays.stream(seconds).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static double processesOf(String command) {
        try (var processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("comm")).trim().equals(command);
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .mapToDouble(p -> cpu(Long.parseLong(p.getFileName().toString()))).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** utime + stime of the process (its threads included), in seconds; 0 when it is gone. */
    static double cpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
