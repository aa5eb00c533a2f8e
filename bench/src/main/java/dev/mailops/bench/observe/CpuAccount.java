package dev.mailops.bench.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mailops.bench.system.LocalSystem;

/**
 * CPU time by part of the system (services, broker, PostgreSQL, the harness itself), from
 * /proc/PID/stat, so a benchmark can say which process a request costs how much CPU in; and the rest of
 * the machine's busy time (/proc/stat), so that no CPU the load costs goes unseen: the mail host's
 * daemons, and whatever else runs.
 */
public final class CpuAccount {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private static final String REST = "rest of the machine";

    private final LocalSystem system;

    public CpuAccount(LocalSystem system) {
        this.system = system;
    }

    /** CPU seconds used so far, by part; processes that did not exist at the first snapshot count from zero. */
    public Map<String, Double> snapshot() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        system.servicePids().forEach((name, pids) -> seconds.put(name, pids.stream().mapToDouble(CpuAccount::cpu).sum()));
        seconds.put("kafka", pidFile(system.root().resolve(".infra/data/kafka/kafka.pid")));
        seconds.put("postgresql", processesOf("postgres", true));
        seconds.put("harness", cpu(ProcessHandle.current().pid()));
        double counted = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        seconds.put(REST, Math.max(0, machineBusy() - counted));
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

    private static double processesOf(String command, boolean reaped) {
        try (var processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("comm")).trim().equals(command);
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .mapToDouble(p -> cpu(Long.parseLong(p.getFileName().toString()), reaped)).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * CPU seconds the machine has been busy since boot: every core's time but idle and I/O wait (guest time
     * is in user time already).
     */
    static double machineBusy() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(cpu[field]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of the process (its threads included), in seconds; 0 when it is gone. */
    static double cpu(long pid) {
        return cpu(pid, false);
    }

    /**
     * utime + stime of the process, and with {@code reaped} of the children it has waited for, in seconds; 0
     * when it is gone. PostgreSQL's backends and autovacuum workers come and go between two snapshots, and
     * their time moves into the postmaster's children's time when they exit.
     */
    private static double cpu(long pid, boolean reaped) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (reaped) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
