package dev.mailops.bench.mailhost;

import static dev.mailops.bench.report.Report.f;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.HdrHistogram.Histogram;

import jakarta.mail.MessagingException;

import dev.mailops.bench.load.Api;
import dev.mailops.bench.load.Workload;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;
import dev.mailops.testinfra.MailClient;
import dev.mailops.testinfra.MailHost;

/**
 * The mail host's figures: how long after "create mailbox accepted" (the gateway's 201) the mailbox's
 * first IMAPS login succeeds, and how many mails per second Postfix accepts and hands to Dovecot for
 * mailboxes made through the whole event path, next to the same mail host driven directly.
 *
 * <p>The raw baseline: a domain and mailboxes whose rows the harness inserts straight into the mail
 * host's database (no gateway, mailbox-service, Kafka or mailhost-service in between), then the same
 * SMTP load. Both loads go to the same Dovecot and Postfix in the same run, with the same number of
 * recipients, mails, connections and message; the difference is what the rest of the running system
 * costs the mail host (the services share the machine), not a different mail path.
 */
public final class MailHostBench {

    /** @param mailboxes mailboxes created one after the other for the login latency; the first
     *                   {@code recipients} of them receive the delivery load */
    public record Settings(int mailboxes, int recipients, int mails, int connections) {
        public static Settings full() {
            return new Settings(100, 20, 4000, 4);
        }

        public static Settings quick() {
            return new Settings(20, 10, 400, 4);
        }
    }

    static final String PASSWORD = "Bench-Mailhost-2026";
    static final String SENDER = "load@sender.example";
    static final Duration PROVISIONING_LIMIT = Duration.ofSeconds(60);

    private final LocalSystem system;
    private final Settings settings;
    private final Report report;
    private final MailHost mailHost;
    private final MailClient client;

    public MailHostBench(LocalSystem system, Settings settings, Report report) {
        this.system = system;
        this.settings = settings;
        this.report = report;
        this.mailHost = system.mailHost();
        this.client = mailHost.client();
    }

    /**
     * The raw baseline first (it needs nothing but the mail host), then the system's figures. Returns
     * false, with the reason in the report, when the system's part could not be measured.
     */
    public boolean run() {
        Deliveries.Delivery baseline = deliver(rawMailboxes("raw-" + system.run() + ".bench.example", settings.recipients()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("raw: rows inserted directly", String.valueOf(settings.mails()), f(baseline.acceptedPerSecond()),
                f(baseline.deliveredPerSecond()), "100 %"));
        String tenant = "mailhost-" + system.run();
        String domain = "mh-" + system.run() + ".bench.example";
        Histogram micros = new Histogram(3_600_000_000L, 3);
        String failure = null;
        try (Api api = new Api(system.gatewayUrl())) {
            String token = system.tokens().adminToken(tenant);
            require(api.callUntilServed("PUT", "/api/v1/domains/" + domain, token, null));
            String systemUser = Workload.systemUserOf(tenant);
            require(api.callUntilServed("POST", "/api/v1/users", token, Workload.systemUserBody(systemUser)));
            system.awaitKnownUsers(List.of(systemUser), PROVISIONING_LIMIT);
            List<String> addresses = createAndLogIn(api, token, domain, systemUser, micros);
            Deliveries.Delivery measured = deliver(addresses.subList(0, Math.min(settings.recipients(), addresses.size())));
            rows.add(List.of("the system: gateway → events → mailhost-service", String.valueOf(settings.mails()),
                    f(measured.acceptedPerSecond()), f(measured.deliveredPerSecond()),
                    f(100 * measured.deliveredPerSecond() / baseline.deliveredPerSecond()) + " %"));
        } catch (IllegalStateException e) {
            failure = e.getMessage();
        }
        report.heading("Mail host: from \"create mailbox accepted\" to the first IMAPS login")
                .line("Each of " + settings.mailboxes() + " mailboxes created through the gateway one after the other; "
                        + "from the 201 the harness tries an IMAPS login every 10 ms until one succeeds (the event "
                        + "and the credential have reached mailhost-service and its database).")
                .line("")
                .table(List.of("mailboxes", "p50 ms", "p99 ms", "max ms"), List.of(List.of(
                        String.valueOf(micros.getTotalCount()), f(micros.getValueAtPercentile(50) / 1000.0),
                        f(micros.getValueAtPercentile(99) / 1000.0), f(micros.getMaxValue() / 1000.0))));
        report.heading("Mail host: deliveries through Postfix into Dovecot")
                .line(settings.mails() + " mails of the same size over SMTP in, " + settings.connections()
                        + " connections each sending one after the other, round robin to " + settings.recipients()
                        + " recipients; delivered = the message file is in the recipient's maildir. Raw: the same "
                        + "mail host with its rows inserted directly into its database; system: mailboxes created "
                        + "through the gateway and the event path, all services running.")
                .line("")
                .table(List.of("recipients made by", "mails", "accepted per s (SMTP 250)", "delivered per s",
                        "delivered / raw"), rows);
        if (failure != null) {
            report.line("").line("**The system's part could not be measured:** " + failure);
        }
        return failure == null;
    }

    /** Creates the mailboxes one by one, recording the time from each 201 to its first successful login. */
    private List<String> createAndLogIn(Api api, String token, String domain, String systemUser, Histogram micros) {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < settings.mailboxes(); i++) {
            String localPart = "login" + i;
            require(api.callUntilServed("POST", "/api/v1/mailboxes", token, """
                    {"localPart":"%s","domain":"%s","firstName":"Bench","lastName":"Mailhost","systemUserId":"%s",\
                    "password":"%s","passwordConfirmation":"%s","rate":"MAIL_STANDARD"}""".formatted(localPart, domain,
                    systemUser, PASSWORD, PASSWORD)));
            long accepted = System.nanoTime();
            String address = localPart + "@" + domain;
            while (!loggedIn(address)) {
                if (System.nanoTime() - accepted > PROVISIONING_LIMIT.toNanos()) {
                    throw new IllegalStateException(address + " could not log in " + PROVISIONING_LIMIT.toSeconds()
                            + " s after it was created: is mailhost-service consuming?");
                }
                pause(10);
            }
            micros.recordValue((System.nanoTime() - accepted) / 1000);
            addresses.add(address);
        }
        return addresses;
    }

    private boolean loggedIn(String address) {
        try {
            return client.canLogIn(MailClient.Access.IMAPS, address, PASSWORD);
        } catch (MessagingException e) {
            throw new IllegalStateException("The mail host did not answer an IMAPS login", e);
        }
    }

    /** The baseline's recipients: rows written straight into the mail host's database (no password: nobody logs in). */
    private List<String> rawMailboxes(String domain, int count) {
        Timestamp now = Timestamp.from(Instant.now());
        List<String> addresses = IntStream.range(0, count).mapToObj(i -> "raw" + i + "@" + domain).toList();
        try (Connection connection = mailHost.databaseServer().connect(mailHost.database())) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into mail_domain (domain, tenant_id, created_at) values (?, 'bench-raw', ?)")) {
                insert.setString(1, domain);
                insert.setTimestamp(2, now);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into mailbox (id, tenant_id, address, domain, quota_bytes, maildir, created_at, updated_at)
                    values (?, 'bench-raw', ?, ?, ?, ?, ?, ?)""")) {
                for (String address : addresses) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setString(2, address);
                    insert.setString(3, domain);
                    insert.setLong(4, 10L << 30);
                    insert.setString(5, domain + "/" + address.substring(0, address.indexOf('@')));
                    insert.setTimestamp(6, now);
                    insert.setTimestamp(7, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not insert the baseline's rows into " + mailHost.database(), e);
        }
        return addresses;
    }

    /** The delivery load over SMTP in (port 25's role, no AUTH). */
    private Deliveries.Delivery deliver(List<String> recipients) {
        return new Deliveries(mailHost, settings.mails(), settings.connections())
                .run(recipients, to -> client.sendInOneConnection(SENDER, to, "load"));
    }

    private static void require(Api.Reply reply) {
        if (!reply.ok()) {
            throw new IllegalStateException("Setting up the mail host's figures failed: HTTP " + reply.status() + " "
                    + reply.body());
        }
    }

    private static void pause(long millis) {
        Deliveries.pause(millis);
    }
}
