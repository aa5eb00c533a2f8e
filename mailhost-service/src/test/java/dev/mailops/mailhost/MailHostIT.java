package dev.mailops.mailhost;

import static dev.mailops.testinfra.MailClient.Access.IMAPS;
import static dev.mailops.testinfra.MailClient.Access.IMAP_STARTTLS;
import static dev.mailops.testinfra.MailClient.Access.POP3S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.mailhost.removal.Doveadm;
import dev.mailops.testinfra.MailClient;
import dev.mailops.testinfra.MailHost;

/**
 * The mail host works from mailhost-service's schema: real Dovecot and Postfix ({@code infra/mailhost.sh})
 * read the rows written here through the views, and a real mail client (Angus Mail) logs in, sends and
 * reads over IMAP, POP3 and SMTP. Each test has a domain of its own.
 */
class MailHostIT {

    static final String PASSWORD = "Correct-Horse-9";
    static final Duration DELIVERY = Duration.ofSeconds(15);

    static MailHost mailHost;
    static MailClient mail;
    static MailHostRows rows;

    String domain;

    @BeforeAll
    static void startMailHost() {
        mailHost = TestMailHost.create();
        mailHost.start(); // creates the read-only role, so the migration grants it the views
        mail = mailHost.client();
        rows = new MailHostRows(mailHost);
        rows.migrateFresh();
        // OpenDKIM opened its tables before the migration made them (a fresh database): until it has found
        // them, the milter answers 451 at the end of a submitted message. Wait for one to pass it.
        String probeDomain = "probe" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        rows.domain(probeDomain);
        String probe = "probe@" + probeDomain;
        rows.mailbox(probe, PASSWORD, MailHostRows.GIB);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> mail.submit(probe, PASSWORD, probe, probe, "probe").accepted());
    }

    @AfterAll
    static void stopMailHost() {
        if (mailHost != null) {
            mailHost.stop();
        }
    }

    @BeforeEach
    void domainOfItsOwn() {
        domain = "t" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        rows.domain(domain);
    }

    String address(String localPart) {
        return localPart + "@" + domain;
    }

    @Test
    void imapsLogsInWithTheRightPasswordAndRefusesAWrongOne() throws Exception {
        rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);

        assertThat(mail.canLogIn(IMAPS, address("anna"), PASSWORD)).isTrue();
        assertThat(mail.canLogIn(IMAPS, address("anna"), "Wrong-Horse-9")).isFalse();
        assertThat(mail.canLogIn(IMAPS, address("nobody"), PASSWORD)).isFalse();
    }

    @Test
    void imapWithStartTlsAndPop3sLogIn() throws Exception {
        rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);

        assertThat(mail.canLogIn(IMAP_STARTTLS, address("anna"), PASSWORD)).isTrue();
        assertThat(mail.canLogIn(POP3S, address("anna"), PASSWORD)).isTrue();
        assertThat(mail.canLogIn(POP3S, address("anna"), "Wrong-Horse-9")).isFalse();
    }

    @Test
    void mailToAnAliasLandsInTheTargetsInbox() throws Exception {
        UUID anna = rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);
        rows.alias(address("info"), anna);

        assertThat(mail.sendIn("customer@outside.example", address("info"), "to the alias").accepted()).isTrue();

        await().atMost(DELIVERY).untilAsserted(() ->
                assertThat(mail.inbox(address("anna"), PASSWORD)).containsExactly("to the alias"));
    }

    @Test
    void forwardingWithoutAKeptCopyDeliversOnlyToTheTargets() throws Exception {
        UUID bob = rows.mailbox(address("bob"), PASSWORD, 2 * MailHostRows.GIB);
        rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);
        rows.mailbox(address("carl"), PASSWORD, 2 * MailHostRows.GIB);
        rows.forwarding(bob, false, address("anna"), address("carl"));

        assertThat(mail.sendIn("customer@outside.example", address("bob"), "forwarded").accepted()).isTrue();

        await().atMost(DELIVERY).untilAsserted(() -> {
            assertThat(mail.inbox(address("anna"), PASSWORD)).containsExactly("forwarded");
            assertThat(mail.inbox(address("carl"), PASSWORD)).containsExactly("forwarded");
        });
        assertThat(mail.inbox(address("bob"), PASSWORD)).isEmpty();
    }

    @Test
    void forwardingWithAKeptCopyDeliversToTheTargetsAndTheMailbox() throws Exception {
        UUID bob = rows.mailbox(address("bob"), PASSWORD, 2 * MailHostRows.GIB);
        rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);
        rows.forwarding(bob, true, address("anna"));

        assertThat(mail.sendIn("customer@outside.example", address("bob"), "forwarded and kept").accepted()).isTrue();

        await().atMost(DELIVERY).untilAsserted(() -> {
            assertThat(mail.inbox(address("anna"), PASSWORD)).containsExactly("forwarded and kept");
            assertThat(mail.inbox(address("bob"), PASSWORD)).containsExactly("forwarded and kept");
        });
    }

    /**
     * A start while OpenDKIM runs cannot bind the port it holds, but writes its own pid over the running one's
     * before it exits. The running OpenDKIM is then found by its command line and kept: no second one is
     * started, and the pid file names it again, where the watchdog's reloads and the stop look for it.
     */
    @Test
    void anOpenDkimWhosePidFileNamesAnEndedProcessIsKeptNotStartedAgain() throws Exception {
        Path pidFile = mailHost.directory().resolve("run/opendkim/opendkim.pid");
        long running = Long.parseLong(Files.readString(pidFile).strip());
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Files.writeString(pidFile, ended.pid() + "\n");

        mailHost.start();

        assertThat(Long.parseLong(Files.readString(pidFile).strip())).isEqualTo(running);
        assertThat(openDkimProcesses("opendkim.conf")).containsExactly(running);
        rows.mailbox(address("anna"), PASSWORD, MailHostRows.GIB);
        assertThat(mail.submit(address("anna"), PASSWORD, address("anna"), address("anna"), "signed").accepted())
                .isTrue();
    }

    /** The pids of the OpenDKIM processes running with this mail host's configuration file of that name. */
    private static List<Long> openDkimProcesses(String configuration) {
        String file = mailHost.directory().resolve("conf/opendkim/" + configuration).toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().filter(command -> command.endsWith("/opendkim")).isPresent()
                        && process.info().arguments().map(List::of).filter(List.of("-x", file)::equals).isPresent())
                .map(ProcessHandle::pid).toList();
    }

    @Test
    void submissionAcceptsMailWithStartTlsAndAuthAndRefusesItWithoutAuth() throws Exception {
        rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);
        rows.mailbox(address("bob"), PASSWORD, 2 * MailHostRows.GIB);

        assertThat(mail.submit(address("anna"), PASSWORD, address("anna"), address("bob"), "submitted").accepted())
                .isTrue();
        assertThat(mail.submitOverSmtps(address("anna"), PASSWORD, address("anna"), address("bob"), "over smtps")
                .accepted()).isTrue();
        MailClient.Outcome withoutAuth = mail.submit(null, null, address("anna"), address("bob"), "no auth");
        assertThat(withoutAuth.code()).as(withoutAuth.response()).isBetween(500, 599);

        await().atMost(DELIVERY).untilAsserted(() ->
                assertThat(mail.inbox(address("bob"), PASSWORD)).containsExactlyInAnyOrder("submitted", "over smtps"));
    }

    @Test
    void submissionAndSmtpsSendOnlyAsTheLoginsOwnAddressOrItsAliases() throws Exception {
        UUID anna = rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);
        rows.alias(address("info"), anna);
        UUID bob = rows.mailbox(address("bob"), PASSWORD, 2 * MailHostRows.GIB);
        rows.alias(address("sales"), bob);

        assertThat(mail.submit(address("anna"), PASSWORD, address("anna"), address("bob"), "as anna").accepted()).isTrue();
        assertThat(mail.submit(address("anna"), PASSWORD, address("info"), address("bob"), "as anna's alias").accepted())
                .isTrue();
        assertThat(mail.submitOverSmtps(address("anna"), PASSWORD, address("info"), address("bob"), "as anna's alias over smtps")
                .accepted()).isTrue();
        for (String other : new String[] {address("bob"), address("sales"), "ceo@outside.example"}) {
            assertSenderRefused(mail.submit(address("anna"), PASSWORD, other, address("bob"), "spoofed"), other);
            assertSenderRefused(mail.submitOverSmtps(address("anna"), PASSWORD, other, address("bob"), "spoofed"), other);
        }

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(mail.inbox(address("bob"), PASSWORD))
                .containsExactlyInAnyOrder("as anna", "as anna's alias", "as anna's alias over smtps"));
    }

    private static void assertSenderRefused(MailClient.Outcome outcome, String sender) {
        assertThat(outcome.code()).as(sender + ": " + outcome.response()).isEqualTo(553);
        assertThat(outcome.response()).contains("5.7.1", "Sender address rejected: not owned by user");
    }

    @Test
    void submissionRefusesAWrongPassword() throws Exception {
        rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);

        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        mail.submit(address("anna"), "Wrong-Horse-9", address("anna"), address("anna"), "x"))
                .isInstanceOf(jakarta.mail.AuthenticationFailedException.class);
    }

    @Test
    void anUnknownRecipientIsRefusedAtRcptWith550() throws Exception {
        rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);

        MailClient.Outcome outcome = mail.sendIn("customer@outside.example", address("nobody"), "lost");

        assertThat(outcome.code()).as(outcome.response()).isEqualTo(550);
    }

    @Test
    void aChangedPasswordTakesEffectAtOnce() throws Exception {
        UUID anna = rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);
        assertThat(mail.canLogIn(IMAPS, address("anna"), PASSWORD)).isTrue();

        rows.password(anna, "Battery-Staple-7");

        assertThat(mail.canLogIn(IMAPS, address("anna"), PASSWORD)).isFalse();
        assertThat(mail.canLogIn(IMAPS, address("anna"), "Battery-Staple-7")).isTrue();
    }

    @Test
    void aDeactivatedMailboxCanNeitherLogInNorReceiveAtOnce() throws Exception {
        UUID anna = rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);
        rows.alias(address("info"), anna);
        assertThat(mail.canLogIn(IMAPS, address("anna"), PASSWORD)).isTrue();
        assertThat(mail.sendIn("customer@outside.example", address("info"), "before").accepted()).isTrue();

        rows.deactivate(anna);

        assertThat(mail.canLogIn(IMAPS, address("anna"), PASSWORD)).isFalse();
        assertThat(mail.canLogIn(POP3S, address("anna"), PASSWORD)).isFalse();
        assertThat(mail.sendIn("customer@outside.example", address("anna"), "after").code()).isEqualTo(550);
        assertThat(mail.sendIn("customer@outside.example", address("info"), "after").code()).isEqualTo(550);
    }

    @Test
    void aDeletedMailboxCanNeitherLogInNorReceiveAtOnce() throws Exception {
        UUID anna = rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);
        rows.alias(address("info"), anna);
        assertThat(mail.canLogIn(IMAPS, address("anna"), PASSWORD)).isTrue();

        rows.delete(anna);

        assertThat(mail.canLogIn(IMAPS, address("anna"), PASSWORD)).isFalse();
        assertThat(mail.canLogIn(IMAP_STARTTLS, address("anna"), PASSWORD)).isFalse();
        assertThat(mail.sendIn("customer@outside.example", address("anna"), "after").code()).isEqualTo(550);
        assertThat(mail.sendIn("customer@outside.example", address("info"), "after").code()).isEqualTo(550);
    }

    @Test
    void getQuotaRootReportsTheMailboxQuota() throws Exception {
        rows.mailbox(address("anna"), PASSWORD, 10 * MailHostRows.GIB);

        assertThat(mail.storageLimitKiB(address("anna"), PASSWORD)).isEqualTo(10L * 1024 * 1024);
    }

    /**
     * Postfix and Dovecot look up through functions over the views (V9: a plan kept per connection, not one per
     * lookup); each answers exactly as its view does, for hits and misses alike.
     */
    @Test
    void theLookupFunctionsAnswerAsTheirViews() {
        UUID anna = rows.mailbox(address("anna"), PASSWORD, 2 * MailHostRows.GIB);
        UUID ben = rows.mailbox(address("ben"), PASSWORD, MailHostRows.GIB);
        rows.alias(address("info"), anna);
        rows.forwarding(ben, true, "ben@elsewhere.example", address("anna"));
        for (String key : List.of(address("anna"), address("ben"), address("info"), address("nobody"), domain,
                "elsewhere.example")) {
            assertSame("select domain from mail_host_domain(?)", "select domain from postfix_domains where domain = ?", key);
            assertSame("select maildir from mail_host_mailbox(?)", "select maildir from postfix_mailboxes where address = ?", key);
            assertSame("select target from mail_host_alias_targets(?)", "select target from postfix_aliases where address = ?", key);
            assertSame("select login from mail_host_sender_logins(?)", "select login from postfix_sender_logins where address = ?", key);
            assertSame("select username, password from mail_host_passdb(?)", "select address, password from dovecot_passdb where address = ?", key);
            assertSame("select maildir, quota_bytes from mail_host_userdb(?)", "select maildir, quota_bytes from dovecot_userdb where address = ?", key);
        }
        assertThat(rows.select("select target from mail_host_alias_targets(?)", address("ben")))
                .as("a forwarding with a kept copy").containsExactlyInAnyOrder(List.of(address("anna")),
                        List.of(address("ben")), List.of("ben@elsewhere.example"));
        assertThat(rows.select("select login from mail_host_sender_logins(?)", address("info"))).containsExactly(List.of(address("anna")));
        assertThat(rows.select("select quota_bytes from mail_host_userdb(?)", address("anna")))
                .containsExactly(List.of(Long.toString(2 * MailHostRows.GIB)));
    }

    private static void assertSame(String function, String view, String key) {
        assertThat(rows.select(function + " order by 1", key)).as(function + " for " + key)
                .isEqualTo(rows.select(view + " order by 1", key));
    }

    /**
     * mailhost-service removes deleted mailboxes' mail in batches ({@link Doveadm}): a batch is two requests to
     * doveadm, each of which Dovecot serves with a process of its own, however many users it holds. A user the
     * mail host does not know fails alone; the others' mail is gone, nested folders too, and a repeat finds
     * nothing left to do.
     */
    @Test
    void theMailOfSeveralUsersIsRemovedInTwoDoveadmRequestsAndAnUnknownUserFailsAlone() throws Exception {
        List<String> users = List.of(address("anna"), address("ben"), address("carla"));
        for (String user : users) {
            rows.mailbox(user, PASSWORD, MailHostRows.GIB);
            assertThat(mail.sendIn("customer@outside.example", user, "old mail").accepted()).isTrue();
        }
        await().atMost(DELIVERY).untilAsserted(() -> {
            for (String user : users) {
                assertThat(mail.inbox(user, PASSWORD)).containsExactly("old mail");
            }
        });
        // ben keeps his message in a nested folder
        String ben = users.get(1);
        assertThat(setUp("""
                [["mailboxCreate", {"user": "%1$s", "mailbox": ["Archive", "Archive.2026"]}, "create"],
                 ["move", {"user": "%1$s", "destinationMailbox": "Archive.2026", "query": ["mailbox", "INBOX", "all"]}, "move"]]
                """.formatted(ben))).doesNotContain("error");
        Path benMail = mailHost.mailRoot().resolve(domain).resolve("ben/Maildir");
        assertThat(messages(benMail.resolve(".Archive.2026"))).isEqualTo(1);
        Doveadm doveadm = new Doveadm(new ObjectMapper(), URI.create(mailHost.doveadmUrl()),
                Optional.of(mailHost.doveadmKeyFile()));
        String unknown = address("nobody");
        long requestsBefore = doveadmRequests();

        Map<String, String> failures = doveadm.removeAllMail(List.of(users.get(0), unknown, ben, users.get(2)));

        assertThat(failures).containsOnlyKeys(unknown);
        assertThat(failures.get(unknown)).isEqualTo("mailboxList: exit code 67"); // EX_NOUSER
        for (String user : users) {
            assertThat(mail.inbox(user, PASSWORD)).isEmpty();
        }
        try (Stream<Path> folders = Files.list(benMail)) {
            assertThat(folders.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith(".Archive"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> doveadmRequests() >= requestsBefore + 2);
        assertThat(doveadmRequests()).isEqualTo(requestsBefore + 2);
        assertThat(doveadm.removeAllMail(users)).as("safe to repeat").isEmpty();
    }

    /** Sends doveadm commands as an admin would, with the mail host's API key; returns the answer. */
    private static String setUp(String commands) throws Exception {
        String key = Base64.getEncoder().encodeToString(Files.readString(mailHost.doveadmKeyFile()).strip()
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(mailHost.doveadmUrl()))
                .header("Authorization", "X-Dovecot-API " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(commands)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The requests doveadm has served so far, by Dovecot's log. */
    private static long doveadmRequests() throws Exception {
        try (Stream<String> lines = Files.lines(mailHost.logDirectory().resolve("dovecot.log"))) {
            return lines.filter(line -> line.contains("\"POST /doveadm/v1 ")).count();
        }
    }

    private static long messages(Path folder) throws Exception {
        try (Stream<Path> files = Stream.concat(Files.list(folder.resolve("cur")), Files.list(folder.resolve("new")))) {
            return files.count();
        }
    }
}
