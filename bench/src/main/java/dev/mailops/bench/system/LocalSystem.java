package dev.mailops.bench.system;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.mailops.testinfra.KeyEncryptionKeyFile;
import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.MailHost;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;

/**
 * The whole system as the harness runs it: the shared PostgreSQL and Kafka (infra/), a mail host of
 * the harness's own (real Dovecot and Postfix on ports 22xxx, folder .infra/mailhost-bench), and the
 * five packaged services as processes of their own, on databases and topics of this run only, so a
 * benchmark neither reads nor disturbs the data of `./mailops up`. Every part can be killed with
 * SIGKILL and started again.
 */
public final class LocalSystem implements AutoCloseable {

    /** MAIL_HOST: Dovecot and Postfix together; MAILHOST: mailhost-service, which keeps their database. */
    public enum Part { MAILBOX, BILLING, DNS, MAILHOST, MAIL_HOST, GATEWAY, KAFKA, POSTGRES }

    /**
     * @param dkim the deployment's own DKIM keys, as {@code ./mailops up} runs them: mailbox-service keeps
     *             them (a key-encryption key generated for the run), dns-service's self-hosted profile
     *             publishes them, mailhost-service writes them for the mail host's OpenDKIM
     */
    public record Options(String name, int mailboxInstances, String addressQuarantine, String releaseInterval,
            boolean dkim) {
        public static Options named(String name) {
            return new Options(name, 1, "PT48H", "30s", false);
        }

        public Options withMailboxInstances(int instances) {
            return new Options(name, instances, addressQuarantine, releaseInterval, dkim);
        }

        public Options withQuarantine(String quarantine, String interval) {
            return new Options(name, mailboxInstances, quarantine, interval, dkim);
        }

        public Options withDkim() {
            return new Options(name, mailboxInstances, addressQuarantine, releaseInterval, true);
        }
    }

    public static final String GATEWAY_TOKEN = "bench-gateway-token-" + UUID.randomUUID();
    /** The gateway's first operator; the harness's tenants need no login (see {@link TenantTokens}). */
    public static final String OPERATOR_USER = "operator";
    public static final String OPERATOR_PASSWORD = "Bench-Operator-" + UUID.randomUUID();

    private final Options options;
    private final Path root = LocalInfrastructure.repositoryRoot();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final TenantTokens tokens;
    private final int dnsPort = ServiceProcess.freePort();
    private final List<ServiceProcess> mailboxes = new ArrayList<>();
    private ServiceProcess billing;
    private ServiceProcess dns;
    private ServiceProcess mailhost;
    private MailHost mailHost;
    private ServiceProcess gateway;

    private LocalSystem(Options options) {
        this.options = options;
        this.tokens = new TenantTokens(root.resolve("bench/target/run-" + run));
    }

    /** Starts the infrastructure if needed, recreates this harness's databases and starts the services. */
    public static LocalSystem start(Options options) {
        LocalInfrastructure.ensureStarted();
        LocalSystem system = new LocalSystem(options);
        // Ctrl-C or a kill of the harness must not leave the services running.
        Runtime.getRuntime().addShutdownHook(new Thread(system::close));
        for (String service : List.of("mailbox", "billing", "dns", "mailhost", "gateway")) {
            system.recreateDatabase(system.database(service));
        }
        system.startServices();
        return system;
    }

    /**
     * The services that depend on no other start side by side (the mailbox-service instances one after
     * the other, the mail host before mailhost-service); the gateway, in front of them all, last.
     */
    private void startServices() {
        Path keyEncryptionKey = options.dkim()
                ? KeyEncryptionKeyFile.writeNew(root.resolve("bench/target/run-" + run + "/dkim-key-encryption-key"))
                : null;
        for (int i = 0; i < options.mailboxInstances(); i++) {
            PackagedService mailbox = service("mailbox-service", "mailbox")
                    .publishing("mailbox-events", eventsTopic())
                    .publishingIfDeclared("mailbox-credentials", credentialsTopic())
                    .readingIfDeclared("gateway-users", usersTopic(), "mailbox-" + run, usersTopic() + ".mailbox-dlq")
                    .with("mailbox.address-quarantine", options.addressQuarantine())
                    .with("mailbox.address-release.interval", options.releaseInterval())
                    // a benchmark proves no domain ownership: domains are verified when registered
                    .with("mailbox.domain-verification.policy", "none");
            if (options.dkim()) {
                mailbox.with("mailbox.dkim.enabled", "true")
                        .with("mailbox.dkim.key-encryption-key-file", keyEncryptionKey.toString())
                        .with("mailbox.dkim.dns-servers", "127.0.0.1:" + dnsPort);
            }
            mailboxes.add(mailbox.process());
        }
        billing = service("billing-service", "billing")
                .consuming(eventsTopic(), "billing-" + run, eventsTopic() + ".billing-dlq")
                .publishing("billing-events", billingTopic())
                // no mail server in a benchmark; the notices stay queued
                .with("quarkus.mailer.port", String.valueOf(ServiceProcess.freePort()))
                .process();
        PackagedService dnsService = service("dns-service", "dns")
                .consuming(eventsTopic(), "dns-" + run, eventsTopic() + ".dns-dlq")
                .publishing("dns-events", dnsTopic())
                .with("dns.server.port", String.valueOf(dnsPort))
                // The DNS server's rate limit per client network protects others from floods; the harness's
                // probes and DKIM checks all come from 127.0.0.1 and measure what is behind it.
                .with("dns.limits.rrl.responses-per-second", "1000000");
        if (options.dkim()) {
            dnsService.with("dns.profile", "self-hosted").with("dns.self-hosted.mail-host", "mail.bench.example");
        }
        dns = dnsService.process();
        mailHost = MailHost.of("bench", 22000, database("mailhost"));
        PackagedService mailhostService = mailHost.service(LocalInfrastructure.settings(), eventsTopic(),
                credentialsTopic(), "mailhost-" + run).gatewayToken(GATEWAY_TOKEN).deployedHeap();
        if (options.dkim()) {
            mailhostService.with("mailhost.dkim.key-encryption-key-file", keyEncryptionKey.toString());
        }
        mailhost = mailhostService.process();
        ServiceProcess.startTogether(List.of(
                () -> mailboxes.forEach(ServiceProcess::start),
                billing::start,
                dns::start,
                () -> {
                    // The mail host before mailhost-service: it creates the read-only role the migration grants.
                    mailHost.start();
                    mailhost.start();
                }));
        gateway = service("gateway", "gateway")
                .with("gateway.backends.mailbox", mailboxes.get(0).baseUrl())
                .with("gateway.backends.billing", billing.baseUrl())
                .with("gateway.backends.dns", dns.baseUrl())
                .with("mp.messaging.incoming.mailbox-feed.topic", eventsTopic())
                .with("mp.messaging.outgoing.gateway-users.topic", usersTopic())
                .with("mp.jwt.verify.publickey.location", tokens.publicKeyFile().toString())
                .with("smallrye.jwt.sign.key.location", tokens.privateKeyFile().toString())
                // The per-tenant limit protects a shared deployment; the harness measures what is behind it.
                .with("gateway.rate-limit.requests-per-second", "1000000")
                .with("gateway.rate-limit.burst", "1000000")
                .with("gateway.bootstrap.operator.username", OPERATOR_USER)
                .with("gateway.bootstrap.operator.password", OPERATOR_PASSWORD)
                .start();
    }

    /** A service on the local processes of infra/ (the harness kills and restarts them), on this run's database. */
    private PackagedService service(String module, String database) {
        return PackagedService.module(module).on(LocalInfrastructure.settings()).database(database(database))
                .gatewayToken(GATEWAY_TOKEN).deployedHeap();
    }

    public String run() {
        return run;
    }

    public String gatewayUrl() {
        return gateway.baseUrl();
    }

    public String billingUrl() {
        return billing.baseUrl();
    }

    public String dnsUrl() {
        return dns.baseUrl();
    }

    public String mailhostUrl() {
        return mailhost.baseUrl();
    }

    public int dnsPort() {
        return dnsPort;
    }

    public String eventsTopic() {
        return options.name() + "-" + run + ".mailbox.events";
    }

    /** The gateway's users' lifecycle, from which mailbox-service learns the system users. */
    public String usersTopic() {
        return options.name() + "-" + run + ".gateway.users";
    }

    /**
     * Waits until mailbox-service knows every one of the users (the gateway published them on
     * {@link #usersTopic()} after their creation): only then is a mailbox for them accepted.
     */
    public void awaitKnownUsers(Collection<String> usernames, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            try (Connection connection = connect("mailbox");
                    PreparedStatement known = connection.prepareStatement(
                            "select count(*) from known_user where enabled and user_id = any (?)")) {
                known.setArray(1, connection.createArrayOf("varchar", usernames.toArray()));
                try (ResultSet count = known.executeQuery()) {
                    count.next();
                    if (count.getInt(1) == usernames.size()) {
                        return;
                    }
                }
            } catch (SQLException e) {
                // not migrated yet, or the database restarts: ask again
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("mailbox-service does not know the system users " + usernames
                        + " after " + limit.toSeconds() + " s: is it consuming " + usersTopic() + "?");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public String credentialsTopic() {
        return options.name() + "-" + run + ".mailbox.credentials";
    }

    /** The harness's mail host, which mailhost-service keeps. */
    public MailHost mailHost() {
        return mailHost;
    }

    public String billingTopic() {
        return options.name() + "-" + run + ".billing.events";
    }

    public String dnsTopic() {
        return options.name() + "-" + run + ".dns.events";
    }

    /** The part of each service, by its name in {@link #servicePids()}. */
    public static final Map<String, Part> SERVICE_PARTS = Map.of("gateway", Part.GATEWAY, "mailbox-service", Part.MAILBOX,
            "billing-service", Part.BILLING, "dns-service", Part.DNS, "mailhost-service", Part.MAILHOST);

    /** Each service's process (the first mailbox-service instance), by name. */
    public Map<String, ServiceProcess> serviceProcesses() {
        Map<String, ServiceProcess> processes = new java.util.LinkedHashMap<>();
        processes.put("gateway", gateway);
        processes.put("mailbox-service", mailboxes.get(0));
        processes.put("billing-service", billing);
        processes.put("dns-service", dns);
        processes.put("mailhost-service", mailhost);
        return processes;
    }

    /** The process ids of each running service, by name. */
    public Map<String, List<Long>> servicePids() {
        Map<String, List<Long>> pids = new java.util.LinkedHashMap<>();
        pids.put("gateway", List.of(gateway.pid()));
        pids.put("mailbox-service", mailboxes.stream().map(ServiceProcess::pid).toList());
        pids.put("billing-service", List.of(billing.pid()));
        pids.put("dns-service", List.of(dns.pid()));
        pids.put("mailhost-service", List.of(mailhost.pid()));
        return pids;
    }

    public Path root() {
        return root;
    }

    public TenantTokens tokens() {
        return tokens;
    }

    public String database(String service) {
        return options.name().replace('-', '_') + "_" + service;
    }

    public Connection connect(String service) throws SQLException {
        return DriverManager.getConnection(LocalInfrastructure.jdbcUrl(database(service)),
                LocalInfrastructure.pgUser(), LocalInfrastructure.pgPassword());
    }

    /** SIGKILL for a service or the broker; an immediate (crash-like) shutdown for PostgreSQL. */
    public void kill(Part part) {
        switch (part) {
            case MAILBOX -> mailboxes.get(0).kill();
            case BILLING -> billing.kill();
            case DNS -> dns.kill();
            case MAILHOST -> mailhost.kill();
            case MAIL_HOST -> {
                mailHost.kill(MailHost.Daemon.DOVECOT);
                mailHost.kill(MailHost.Daemon.POSTFIX);
            }
            case GATEWAY -> gateway.kill();
            case KAFKA -> script("infra/kafka.sh", "kill");
            case POSTGRES -> script("infra/postgres.sh", "crash");
        }
    }

    /** Starts a killed part again and waits until it is ready. */
    public void restart(Part part) {
        switch (part) {
            case MAILBOX -> mailboxes.get(0).start();
            case BILLING -> billing.start();
            case DNS -> dns.start();
            case MAILHOST -> mailhost.start();
            case MAIL_HOST -> mailHost.start(); // as an operator would: starts whichever daemon is down
            case GATEWAY -> gateway.start();
            case KAFKA -> script("infra/kafka.sh", "start");
            case POSTGRES -> script("infra/postgres.sh", "start");
        }
    }

    private void script(String script, String command) {
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", root.resolve(script).toString(), command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            // After a SIGKILL the broker recovers every partition it holds before it answers: on a machine whose
            // broker kept the topics of many test runs that takes more than the script's usual minute.
            builder.environment().putIfAbsent("MAILOPS_KAFKA_START_TIMEOUT", "170");
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(script + " " + command + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(script + " " + command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Drops the database (ending its sessions) and creates it empty. */
    public static void recreateDatabase(String database) {
        try (Connection connection = DriverManager.getConnection(LocalInfrastructure.jdbcUrl("postgres"),
                LocalInfrastructure.pgUser(), LocalInfrastructure.pgPassword());
             var statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not recreate database " + database, e);
        }
    }

    @Override
    public void close() {
        List<ServiceProcess> all = new ArrayList<>(mailboxes);
        all.add(billing);
        all.add(dns);
        all.add(mailhost);
        all.add(gateway);
        // Side by side: each gets its graceful stop (and writes a flight recording it was asked for) at once.
        ServiceProcess.closeTogether(all);
        if (mailHost != null) {
            mailHost.stop();
            mailHost = null;
        }
        // The broker is also ./mailops up's: a run (a replay's history among them) leaves none of its topics there.
        LocalInfrastructure.settings().deleteTopics(options.name() + "-" + run + ".");
    }
}
