package dev.mailops.bench.mailhost;

import static dev.mailops.bench.report.Report.f;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import jakarta.mail.MessagingException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.bench.load.Api;
import dev.mailops.bench.load.Workload;
import dev.mailops.bench.observe.CpuAccount;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;
import dev.mailops.testinfra.DkimVerifier;
import dev.mailops.testinfra.MailClient;
import dev.mailops.testinfra.MailHost;

/**
 * What DKIM signing costs: the same submission load (AUTH as one mailbox, round robin to the domain's
 * other mailboxes) through the same mail host in the same run, once with the OpenDKIM milter off
 * ({@code MAILOPS_MAILHOST_DKIM=off}) and once on, the mail host stopped and started between the
 * two. Needs the system with DKIM ({@link LocalSystem.Options#withDkim()}): the "on" phase waits until
 * the domain's first selector is active and the mail host signs. A sample of the mail of each phase
 * is checked: unsigned when off; when on, signed and verified independently (python3-dkim against
 * dns-service's DNS server, {@link DkimVerifier}).
 */
public final class DkimBench {

    static final String PASSWORD = "Bench-Dkim-2026";
    static final Duration KEYS_LIMIT = Duration.ofMinutes(2);
    static final Duration SIGNER_LIMIT = Duration.ofMinutes(2);
    static final ObjectMapper JSON = new ObjectMapper();

    private final LocalSystem system;
    private final MailHostBench.Settings settings;
    private final Report report;
    private final MailHost mailHost;
    private final MailClient client;
    private final Deliveries deliveries;

    public DkimBench(LocalSystem system, MailHostBench.Settings settings, Report report) {
        this.system = system;
        this.settings = settings;
        this.report = report;
        this.mailHost = system.mailHost();
        this.client = mailHost.client();
        this.deliveries = new Deliveries(mailHost, settings.mails(), settings.connections());
    }

    /** One phase's figures; {@code opendkimCpuSeconds} is -1 when no OpenDKIM of this mail host ran. */
    record Phase(Deliveries.Delivery delivery, double opendkimCpuSeconds, String sample) {
    }

    /** Both phases; false, with the reason in the report, when the "on" phase (or both) could not be measured. */
    public boolean run() {
        String domain = "dkim-" + system.run() + ".bench.example";
        String sender = "sender@" + domain;
        List<String> recipients = IntStream.range(0, settings.recipients()).mapToObj(i -> "rcpt" + i + "@" + domain)
                .toList();
        Phase off = null;
        Phase on = null;
        String failure = null;
        try (Api api = new Api(system.gatewayUrl())) {
            String token = system.tokens().adminToken("dkim-" + system.run());
            require(api.callUntilServed("PUT", "/api/v1/domains/" + domain, token, null));
            String systemUser = Workload.systemUserOf("dkim-" + system.run());
            require(api.callUntilServed("POST", "/api/v1/users", token, Workload.systemUserBody(systemUser)));
            system.awaitKnownUsers(List.of(systemUser), KEYS_LIMIT);
            List<String> mailboxes = new ArrayList<>(recipients);
            mailboxes.add(sender);
            for (String address : mailboxes) {
                require(api.callUntilServed("POST", "/api/v1/mailboxes", token, """
                        {"localPart":"%s","domain":"%s","firstName":"Bench","lastName":"Dkim","systemUserId":"%s",\
                        "password":"%s","passwordConfirmation":"%s","rate":"MAIL_STANDARD"}""".formatted(
                        address.substring(0, address.indexOf('@')), domain, systemUser, PASSWORD, PASSWORD)));
            }
            for (String address : mailboxes) {
                until(() -> client.canLogIn(MailClient.Access.IMAPS, address, PASSWORD), KEYS_LIMIT,
                        address + " could not log in");
            }
            off = phase(false, sender, recipients, null);
            String selector = activeSelector(api, token, domain);
            on = phase(true, sender, recipients, new Signer(domain, selector));
        } catch (IllegalStateException e) {
            failure = e.getMessage();
        }
        List<List<String>> rows = new ArrayList<>();
        if (off != null) {
            rows.add(row("off (MAILOPS_MAILHOST_DKIM=off)", off, off));
        }
        if (on != null) {
            rows.add(row("on: OpenDKIM milter on submission", on, off));
        }
        report.heading("Mail host: DKIM signing through Postfix, without and with the milter")
                .line(settings.mails() + " mails submitted over submission (STARTTLS, AUTH as one mailbox), "
                        + settings.connections() + " connections each sending one after the other, round robin to "
                        + settings.recipients() + " mailboxes of the same domain; delivered = the message file is in "
                        + "the recipient's maildir. The same mail host in the same run, stopped and started between the "
                        + "phases; off first. Each phase's sample: " + sampleNote(off, on) + ".")
                .line("")
                .table(List.of("milter", "mails", "accepted per s", "delivered per s", "delivered / off",
                        "OpenDKIM CPU ms per mail"), rows);
        if (failure != null) {
            report.line("").line("**Not measured" + (off == null ? "" : " with the milter") + ":** " + failure);
        }
        return failure == null;
    }

    private List<String> row(String name, Phase phase, Phase off) {
        return List.of(name, String.valueOf(settings.mails()), f(phase.delivery().acceptedPerSecond()),
                f(phase.delivery().deliveredPerSecond()),
                f(100 * phase.delivery().deliveredPerSecond() / off.delivery().deliveredPerSecond()) + " %",
                phase.opendkimCpuSeconds() < 0 ? "not running" : f(1000 * phase.opendkimCpuSeconds() / settings.mails()));
    }

    private static String sampleNote(Phase off, Phase on) {
        List<String> notes = new ArrayList<>();
        if (off != null) {
            notes.add("off: " + off.sample());
        }
        if (on != null) {
            notes.add("on: " + on.sample());
        }
        return notes.isEmpty() ? "none" : String.join("; ", notes);
    }

    /** The domain and selector the "on" phase's mail must be signed with. */
    record Signer(String domain, String selector) {
    }

    /** Restarts the mail host with the milter on or off, checks it (signs or not), then measures the load. */
    private Phase phase(boolean signing, String sender, List<String> recipients, Signer signer) {
        mailHost.stop();
        mailHost.signing(signing).start();
        String probe = "dkim-probe-" + (signing ? "on" : "off");
        int[] attempt = {0};
        // After a start (and, on, until mailhost-service has written the key): the first mails may not be signed yet.
        until(() -> signing == hasSignature(sendAndFind(sender, recipients.get(0), probe + "-" + attempt[0]++)),
                signing ? SIGNER_LIMIT : Duration.ofSeconds(1),
                signing ? "the mail host does not sign with MAILOPS_MAILHOST_DKIM=on" : "the mail host signs with MAILOPS_MAILHOST_DKIM=off");
        List<String> markers = List.of(mailHost.mailRoot().getParent().toString(), String.valueOf(mailHost.dkimPort()));
        double cpuBefore = CpuAccount.processesOf("opendkim", markers);
        Deliveries.Delivery delivery = deliveries.run(recipients,
                to -> client.submitInOneConnection(sender, PASSWORD, sender, to, "dkim-load"));
        double cpuAfter = CpuAccount.processesOf("opendkim", markers);
        byte[] sample = newest(recipients.get(recipients.size() - 1));
        String checked;
        if (signing) {
            DkimVerifier.Result result = DkimVerifier.askingServerAt("127.0.0.1", system.dnsPort()).verify(sample);
            if (!result.valid() || !signer.selector().equals(result.signature().selector())
                    || !signer.domain().equals(result.signature().domain())) {
                throw new IllegalStateException("A mail of the load does not verify as signed by " + signer + ": " + result);
            }
            checked = "signed, verified by python3-dkim (s=" + signer.selector() + ")";
        } else {
            if (hasSignature(sample)) {
                throw new IllegalStateException("A mail of the load is signed with MAILOPS_MAILHOST_DKIM=off");
            }
            checked = "unsigned";
        }
        return new Phase(delivery, cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore, checked);
    }

    /** Waits until the domain's first selector is active (its key published), and returns it. */
    private static String activeSelector(Api api, String token, String domain) {
        String[] active = {null};
        until(() -> {
            Api.Reply reply = api.call("GET", "/api/v1/domains/" + domain + "/dkim", token, null);
            if (!reply.ok()) {
                throw new IllegalStateException("GET /api/v1/domains/" + domain + "/dkim answered " + reply.status()
                        + " " + reply.body());
            }
            for (JsonNode selector : JSON.readTree(reply.body()).path("selectors")) {
                if ("active".equals(selector.path("state").asText())) {
                    active[0] = selector.path("selector").asText();
                }
            }
            return active[0] != null;
        }, KEYS_LIMIT, "no DKIM selector of " + domain + " became active");
        return active[0];
    }

    /** Submits one mail and returns it as the recipient's maildir holds it. */
    private byte[] sendAndFind(String sender, String recipient, String subject) throws MessagingException {
        MailClient.Outcome outcome = client.submit(sender, PASSWORD, sender, recipient, subject);
        if (!outcome.accepted()) {
            throw new IllegalStateException("Submission refused: " + outcome);
        }
        List<byte[]> found = new ArrayList<>(1);
        until(() -> withSubject(recipient, subject).map(found::add).isPresent(), Deliveries.DELIVERY_LIMIT,
                "the probe " + subject + " was not delivered");
        return found.get(0);
    }

    private Optional<byte[]> withSubject(String address, String subject) {
        return deliveries.files(address).map(DkimBench::read)
                .filter(raw -> new String(raw, StandardCharsets.ISO_8859_1).contains("\nSubject: " + subject + "\n")
                        || new String(raw, StandardCharsets.ISO_8859_1).contains("\nSubject: " + subject + "\r\n"))
                .findFirst();
    }

    private byte[] newest(String address) {
        return deliveries.files(address).max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                .map(DkimBench::read).orElseThrow(() -> new IllegalStateException("No mail in " + address + "'s maildir"));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasSignature(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        return text.startsWith("DKIM-Signature:") || text.contains("\nDKIM-Signature:");
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Checks every 100 ms until it holds; an IllegalStateException with {@code what} after {@code limit}. */
    private static void until(Check check, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(what + ": " + e.getMessage(), e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " within " + limit.toSeconds() + " s");
            }
            Deliveries.pause(100);
        }
    }

    private static void require(Api.Reply reply) {
        if (!reply.ok()) {
            throw new IllegalStateException("Setting up the DKIM figures failed: HTTP " + reply.status() + " " + reply.body());
        }
    }
}
