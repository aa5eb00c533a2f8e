package dev.mailops.testinfra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A mail host of its own for a test or a harness run, started by {@code infra/mailhost.sh} as
 * {@code ./mailops up} starts one: real Dovecot and Postfix reading mailhost-service's database, on ports
 * and in a folder apart from the development instance ({@code .infra/mailhost-<name>}), with the login
 * throttling off (the tests try wrong passwords on purpose). It runs on the local PostgreSQL (the script
 * needs its superuser). When it cannot start, the caller fails: a test that needs it is never skipped.
 *
 * <p>Ports: {@code portBase} plus the standard port's last three digits, e.g. base 21000 gives IMAPS
 * 21993, SMTP 21025 and submission 21587 (below the kernel's ephemeral ports, apart from MailHostIT's
 * 11xxx and the development instance's 10xxx); the OpenDKIM milters on base + 891 and 892, the forward
 * route's smtpd on base + 26, postsrsd on base + 701 and 702 and Dovecot's metrics on base + 900, like the
 * development instance's 10891, 10892, 10026, 10701, 10702 and 10900.
 */
public final class MailHost {

    /** The two daemons, each of which the chaos run kills with SIGKILL. */
    public enum Daemon { DOVECOT, POSTFIX }

    public static final String HOST = "127.0.0.1";

    private final String name;
    private final int portBase;
    private final String database;
    private final InfrastructureSettings settings;
    private final Path directory;
    private final Path script = LocalInfrastructure.repositoryRoot().resolve("infra/mailhost.sh");
    /** MAILOPS_MAILHOST_DKIM for the next start; null leaves the script's default. */
    private Boolean signing;
    /** MAILOPS_MAILHOST_DKIM_ALGORITHM for the next start; null leaves the script's default. */
    private String dkimAlgorithm;
    /** MAILOPS_MAILHOST_RELAYHOST for the next start; null: outbound delivery off. */
    private String relayHost;

    private MailHost(String name, int portBase, String database, InfrastructureSettings settings) {
        this.name = name;
        this.portBase = portBase;
        this.database = database;
        this.settings = settings;
        this.directory = LocalInfrastructure.repositoryRoot().resolve(".infra/mailhost-" + name);
    }

    /**
     * @param name     names its folder, {@code .infra/mailhost-<name>}
     * @param portBase e.g. 21000 (IMAP 21143, IMAPS 21993, POP3 21110, POP3S 21995, SMTP 21025, submission
     *                 21587, SMTPS 21465)
     * @param database mailhost-service's database, which the mail host reads
     */
    public static MailHost of(String name, int portBase, String database) {
        return new MailHost(name, portBase, database, LocalInfrastructure.settings());
    }

    public String database() {
        return database;
    }

    /** The local PostgreSQL server the mail host and its mailhost-service use. */
    public InfrastructureSettings databaseServer() {
        return settings;
    }

    /** Where the maildirs are: {@code <mail root>/<domain>/<localPart>/Maildir}. */
    public Path mailRoot() {
        return directory.resolve("mail");
    }

    public int imapPort() {
        return portBase + 143;
    }

    public int imapsPort() {
        return portBase + 993;
    }

    public int pop3Port() {
        return portBase + 110;
    }

    public int pop3sPort() {
        return portBase + 995;
    }

    public int smtpPort() {
        return portBase + 25;
    }

    public int submissionPort() {
        return portBase + 587;
    }

    public int smtpsPort() {
        return portBase + 465;
    }

    /**
     * Whether the next {@link #start()} runs OpenDKIM on submitted mail (MAILOPS_MAILHOST_DKIM on or off);
     * a running mail host keeps its setting until stopped and started again.
     */
    public MailHost signing(boolean on) {
        this.signing = on;
        return this;
    }

    /**
     * The algorithm OpenDKIM signs with ({@code rsa-sha256} or {@code ed25519-sha256}), from the next
     * {@link #start()} on; on a running mail host that start rewrites OpenDKIM's configuration and reloads it.
     */
    public MailHost dkimAlgorithm(String algorithm) {
        this.dkimAlgorithm = algorithm;
        return this;
    }

    /**
     * Where outbound mail goes, {@code host:port} (e.g. an SMTP sink of the test), from the next
     * {@link #start()} on; without one, outbound delivery is off.
     */
    public MailHost relayHost(String host, int port) {
        this.relayHost = "[" + host + "]:" + port;
        return this;
    }

    /** The loopback smtpd that re-injects forwarded mail, for OpenDKIM's forward instance to sign. */
    public int forwardPort() {
        return portBase + 26;
    }

    /** OpenDKIM's instance for forwarded mail ({@code inet:127.0.0.1:<port>}). */
    public int dkimForwardPort() {
        return portBase + 892;
    }

    /** postsrsd's forward SRS lookup table; the reverse one is on the next port. */
    public int srsPort() {
        return portBase + 701;
    }

    /**
     * Dovecot's OpenMetrics endpoint ({@code /metrics}); apart from the development instance's 10900, or a
     * second mail host on the machine (the one .ci/run starts) would not start.
     */
    public int statsPort() {
        return portBase + 900;
    }

    /** Dovecot's doveadm HTTP API, with which mailhost-service removes a deleted mailbox's mail. */
    public int doveadmPort() {
        return portBase + 425;
    }

    /** OpenDKIM, the milter of submission and SMTPS ({@code inet:127.0.0.1:<port>}). */
    public int dkimPort() {
        return portBase + 891;
    }

    /**
     * Where mailhost-service writes the DKIM keys for this mail host's OpenDKIM ({@code <folder>/dkim-keys}:
     * not below /tmp, which OpenDKIM refuses as unsafe), with the group {@link #DKIM_KEY_FILE_GROUP}.
     */
    public Path dkimKeyDirectory() {
        return directory.resolve("dkim-keys");
    }

    /** The group OpenDKIM runs in, which the key files must have. */
    public static final String DKIM_KEY_FILE_GROUP = "opendkim";

    /** The mail host's folder, {@code .infra/mailhost-<name>}: its configuration, logs, pid files and mail. */
    public Path directory() {
        return directory;
    }

    /** The folder of this mail host's logs (dovecot.log, postfix.log, opendkim.log). */
    public Path logDirectory() {
        return directory.resolve("log");
    }

    /** Where mailhost-service reaches this mail host's doveadm HTTP API. */
    public String doveadmUrl() {
        return "http://" + HOST + ":" + doveadmPort() + "/doveadm/v1";
    }

    /** The doveadm API key infra/mailhost.sh generates for this mail host's database (never committed). */
    public Path doveadmKeyFile() {
        return LocalInfrastructure.repositoryRoot().resolve(".infra/data/" + database + "-doveadm-api-key");
    }

    /**
     * mailhost-service keeping this mail host: on its database (the local PostgreSQL), with Kafka from
     * {@code kafka}, consuming the run's mailbox events and credentials with consumer groups and
     * dead-letter topics of the run, and removing a deleted mailbox's mail through this mail host's
     * doveadm API (checked every second, so a test's re-created address is served soon), writing the DKIM
     * keys where this mail host's OpenDKIM reads them (the caller adds the key-encryption key). Not started yet.
     */
    public PackagedService service(InfrastructureSettings kafka, String eventsTopic, String credentialsTopic,
            String groupId) {
        PackagedService service = PackagedService.module("mailhost-service")
                .on(new InfrastructureSettings(settings.path() + " with Kafka of " + kafka.path(),
                        kafka.kafkaBootstrapServers(), settings.pgHost(), settings.pgPort(), settings.pgUser(),
                        settings.pgPassword()))
                .database(database)
                .with("mailhost.doveadm.url", doveadmUrl())
                .with("mailhost.doveadm.api-key-file", doveadmKeyFile().toString())
                .with("mailhost.removal.interval", "1s")
                .with("mailhost.dkim.key-directory", dkimKeyDirectory().toString())
                .with("mailhost.dkim.key-file-group", DKIM_KEY_FILE_GROUP)
                .readingIfDeclared("mailbox-credentials", credentialsTopic, groupId, credentialsTopic + ".mailhost-dlq");
        return service.declaresChannel("incoming", "mailbox-events")
                ? service.consuming(eventsTopic, groupId, eventsTopic + ".mailhost-dlq")
                : service;
    }

    /** A mail client for this mail host. */
    public MailClient client() {
        return new MailClient(this);
    }

    /** Starts the mail host, or restarts whichever daemon is not running (idempotent). */
    public void start() {
        settings.ensureDatabase(database);
        run("start");
    }

    public void stop() {
        run("stop");
    }

    /** SIGKILL for the daemon's master process (its children end with it); {@link #start()} brings it back. */
    public void kill(Daemon daemon) {
        Path pidFile = daemon == Daemon.DOVECOT ? directory.resolve("run/dovecot/master.pid")
                : directory.resolve("postfix-spool/pid/master.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            // Gone, or a zombie nobody reaps (no init here): either way its sockets and locks are released.
            Path stat = Path.of("/proc/" + pid + "/stat");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.exists(stat) && !isZombie(stat) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing " + daemon, e);
        } catch (IOException e) {
            throw new IllegalStateException("No pid file " + pidFile + ": is the mail host " + name + " running?", e);
        }
    }

    private static boolean isZombie(Path stat) {
        try {
            String line = Files.readString(stat);
            return line.substring(line.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return true;
        }
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("MAILOPS_PG_HOST", settings.pgHost());
        environment.put("MAILOPS_PG_PORT", Integer.toString(settings.pgPort()));
        environment.put("MAILOPS_PG_USER", settings.pgUser());
        environment.put("MAILOPS_MAILHOST_DB", database);
        environment.put("MAILOPS_MAILHOST_DIR", directory.toString());
        environment.put("MAILOPS_MAILHOST_LISTEN", HOST);
        environment.put("MAILOPS_MAILHOST_IMAP_PORT", Integer.toString(imapPort()));
        environment.put("MAILOPS_MAILHOST_IMAPS_PORT", Integer.toString(imapsPort()));
        environment.put("MAILOPS_MAILHOST_POP3_PORT", Integer.toString(pop3Port()));
        environment.put("MAILOPS_MAILHOST_POP3S_PORT", Integer.toString(pop3sPort()));
        environment.put("MAILOPS_MAILHOST_SMTP_PORT", Integer.toString(smtpPort()));
        environment.put("MAILOPS_MAILHOST_SUBMISSION_PORT", Integer.toString(submissionPort()));
        environment.put("MAILOPS_MAILHOST_SMTPS_PORT", Integer.toString(smtpsPort()));
        environment.put("MAILOPS_MAILHOST_DOVEADM_PORT", Integer.toString(doveadmPort()));
        environment.put("MAILOPS_MAILHOST_STATS_PORT", Integer.toString(statsPort()));
        environment.put("MAILOPS_MAILHOST_DKIM_PORT", Integer.toString(dkimPort()));
        environment.put("MAILOPS_MAILHOST_DKIM_KEY_DIR", dkimKeyDirectory().toString());
        environment.put("MAILOPS_MAILHOST_DKIM_FORWARD_PORT", Integer.toString(dkimForwardPort()));
        environment.put("MAILOPS_MAILHOST_FORWARD_PORT", Integer.toString(forwardPort()));
        environment.put("MAILOPS_MAILHOST_SRS_PORT", Integer.toString(srsPort()));
        if (dkimAlgorithm != null) {
            environment.put("MAILOPS_MAILHOST_DKIM_ALGORITHM", dkimAlgorithm);
        }
        if (relayHost != null) {
            environment.put("MAILOPS_MAILHOST_RELAYHOST", relayHost);
        }
        environment.put("MAILOPS_MAILHOST_AUTH_FAILURE_DELAY", "0");
        environment.put("MAILOPS_MAILHOST_AUTH_PENALTY", "off");
        if (signing != null) {
            environment.put("MAILOPS_MAILHOST_DKIM", signing ? "on" : "off");
        }
        return environment;
    }

    private void run(String command) {
        try {
            // Into a file, not a pipe: the daemons it starts may keep inherited descriptors open.
            Path output = Files.createTempFile("mailhost-" + command, ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of("bash", script.toString(), command))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment());
            Process process = builder.start();
            // apt-get may install Dovecot and Postfix first (about 25 s on a fresh machine).
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            if (!finished) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + command + " did not finish within 5 minutes:\n" + printed);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " " + command + " failed (exit " + process.exitValue() + "):\n"
                        + printed);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + script, e);
        }
    }
}
