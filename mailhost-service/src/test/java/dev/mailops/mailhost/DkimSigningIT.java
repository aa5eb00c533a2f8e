package dev.mailops.mailhost;

import static dev.mailops.testinfra.MailClient.Access.IMAPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.testinfra.DkimVerifier;
import dev.mailops.testinfra.MailClient;
import dev.mailops.testinfra.MailHost;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TestInfrastructure;
import dev.mailops.testinfra.TopicProbe;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * The mail host signs with the domain's own keys: the packaged mailhost-service, fed DkimPrivateKey
 * records and the Dkim* events, writes the keys for OpenDKIM ({@code infra/mailhost.sh}), which signs what
 * a mailbox submits (submission, SMTPS) and what the host forwards to an outside address with the domain's
 * active selector, and leaves mail delivered only to local mailboxes alone. Each signature is checked by an
 * independent verifier, Debian's python3-dkim: against the TXT record the DkimKeyGenerated event carries,
 * and ({@link DkimVerifier}) against the record that a packaged dns-service, fed the same events, serves.
 * The mail host's relay host is a real SMTP server of the test (GreenMail), which receives forwarded mail,
 * and what comes back to its SRS sender goes on to the original sender. The private key shows in no log and
 * on no other topic.
 */
class DkimSigningIT {

    static final String PASSWORD = "Correct-Horse-9";
    static final Duration SOON = Duration.ofSeconds(30);
    static final Pattern SIGNATURE = Pattern.compile("(?im)^DKIM-Signature:((?:.*)(?:\\r?\\n[ \\t].*)*)");

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String EVENTS = "it-" + RUN + ".mailhost.mailbox.events";
    static final String CREDENTIALS = "it-" + RUN + ".mailhost.mailbox.credentials";
    /** Where postsrsd rewrites a forwarded message's envelope sender to: the mail host's name. */
    static final String SRS_DOMAIN = "mail.mailops.local";

    static MailHost mailHost;
    static MailClient mail;
    static ServiceProcess service;
    static MailHostEvents events;
    static CredentialsFixture credentials;
    static KeyEncryption keyEncryption;
    static GreenMail relay;
    static ServiceProcess dns;
    static DkimVerifier verifier;

    @BeforeAll
    static void startMailHostAndServices() throws IOException {
        relay = new GreenMail(new ServerSetup(ServiceProcess.freePort(), MailHost.HOST, ServerSetup.PROTOCOL_SMTP));
        relay.start();
        mailHost = TestMailHost.create().relayHost(MailHost.HOST, relay.getSmtp().getPort());
        mailHost.start();
        mail = mailHost.client();
        String key = KeyEncryption.generate();
        Path keyFile = Files.createDirectories(Path.of("target")).resolve("dkim-it-key-encryption-key");
        Files.writeString(keyFile, key);
        keyEncryption = KeyEncryption.fromBase64(key);
        service = PackagedService.underTest()
                .database(mailHost.database())
                .consuming(EVENTS, "mailhost-" + RUN, EVENTS + ".dlq")
                .with("mp.messaging.incoming.mailbox-credentials.topic", CREDENTIALS)
                .with("mp.messaging.incoming.mailbox-credentials.group.id", "mailhost-" + RUN)
                .with("mp.messaging.incoming.mailbox-credentials.dead-letter-queue.topic", CREDENTIALS + ".dlq")
                .with("mailhost.doveadm.url", mailHost.doveadmUrl())
                .with("mailhost.doveadm.api-key-file", mailHost.doveadmKeyFile().toString())
                .with("mailhost.dkim.key-encryption-key-file", keyFile.toAbsolutePath().toString())
                .with("mailhost.dkim.key-directory", mailHost.dkimKeyDirectory().toString())
                .with("mailhost.dkim.key-file-group", MailHost.DKIM_KEY_FILE_GROUP)
                .process();
        int dnsPort = ServiceProcess.freePort();
        dns = PackagedService.module("dns-service").database("dns_dkim_it")
                .consuming(EVENTS, "dns-" + RUN, EVENTS + ".dns-dlq")
                .publishing("dns-events", "it-" + RUN + ".dns.events")
                .with("dns.server.port", String.valueOf(dnsPort))
                .with("dns.profile", "self-hosted")
                .with("dns.self-hosted.mail-host", SRS_DOMAIN)
                .process();
        ServiceProcess.startTogether(List.of(service::start, dns::start));
        verifier = DkimVerifier.askingServerAt(MailHost.HOST, dnsPort);
        events = new MailHostEvents(EVENTS);
        credentials = new CredentialsFixture(CREDENTIALS);
    }

    @AfterAll
    static void stop() {
        if (events != null) {
            events.close();
            credentials.close();
        }
        ServiceProcess.closeTogether(Arrays.asList(service, dns));
        // after every process that reads or writes them has ended, or one would create them again
        TestInfrastructure.settings().deleteTopics("it-" + RUN + ".");
        if (mailHost != null) {
            mailHost.stop();
        }
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void forwardedMailIsSignedWithTheForwardingDomainsKeyLocalMailIsNot() throws Exception {
        Domain domain = Domain.withActiveKey("rsa-sha256");
        String forwarder = "fwd@" + domain.name();
        String target = "t" + RUN + "@outside.example";
        events.mailboxCreated(domain.tenant(), UUID.randomUUID(), forwarder, "MAIL_LIGHT", List.of(target), false);
        await().atMost(SOON).until(() -> aliasTargets(forwarder).equals(List.of(target)));

        assertThat(mail.sendIn("bob@sender.example", forwarder, "forwarded " + RUN).accepted()).isTrue();
        byte[] forwarded = relayed(target, "forwarded " + RUN);
        DkimVerifier.Result result = verifiedOnceDnsServesTheKey(forwarded);
        assertThat(result.signature().domain()).isEqualTo(domain.name());
        assertThat(result.signature().selector()).isEqualTo("mbo0001");
        assertThat(tag(forwarded, "a")).isEqualTo("rsa-sha256");
        // postsrsd rewrote the envelope sender into the mail host's SRS domain (GreenMail's Return-Path).
        assertThat(new String(forwarded, StandardCharsets.ISO_8859_1)).containsPattern(
                "(?m)^Return-Path: <SRS0=[^>]*=sender\\.example=bob@" + Pattern.quote(SRS_DOMAIN) + ">");

        // Mail from outside that only arrives for a local mailbox: no signature added.
        assertThat(mail.sendIn("bob@sender.example", domain.anna(), "local only").accepted()).isTrue();
        assertThat(verifier.verify(received(domain.anna(), "local only")).signatures()).isEmpty();
    }

    @Test
    void aBounceToTheSrsSenderReachesTheOriginalSender() throws Exception {
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = "b" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        String forwarder = "fwd@" + domain;
        String target = "b" + RUN + "@outside.example";
        String sender = "carol" + RUN + "@sender.example";
        events.domainAdded(tenant, domain);
        events.mailboxCreated(tenant, UUID.randomUUID(), forwarder, "MAIL_LIGHT", List.of(target), false);
        await().atMost(SOON).until(() -> aliasTargets(forwarder).equals(List.of(target)));
        assertThat(mail.sendIn(sender, forwarder, "to be bounced " + RUN).accepted()).isTrue();
        String srsSender = returnPath(relayed(target, "to be bounced " + RUN));
        assertThat(srsSender).startsWith("SRS0=").endsWith("@" + SRS_DOMAIN);

        // The far end bounces it: a DSN (MAIL FROM:<>) to the SRS address, in on SMTP, goes to the relay host
        // for the original sender. GreenMail takes no mail from the null sender (it answers RCPT with 503), so
        // that hand-over is read from the mail host's log.
        assertThat(sendToSrsAddress("<>", srsSender, "Undelivered: to be bounced " + RUN)).isEqualTo(250);
        String handedToRelay = "to=<" + sender + ">, orig_to=<" + srsSender + ">, relay=" + MailHost.HOST + "["
                + MailHost.HOST + "]:" + relay.getSmtp().getPort() + ",";
        await().atMost(SOON).until(() -> Files.readString(mailHost.logDirectory().resolve("postfix.log"),
                StandardCharsets.ISO_8859_1).contains(handedToRelay));
        // What has a sender of its own (an auto-reply to the envelope sender) arrives there, for the original sender.
        assertThat(sendToSrsAddress("mailer-daemon@mx.outside.example", srsSender, "Auto-reply " + RUN)).isEqualTo(250);
        assertThat(new String(relayed(sender, "Auto-reply " + RUN), StandardCharsets.ISO_8859_1))
                .contains("Final-Recipient: rfc822; " + target);
    }

    @Test
    void submittedMailIsSignedWithEd25519WhenTheMailHostSignsWithIt() throws Exception {
        // OpenDKIM 2.11 signs with one algorithm: the test's own mail host is reloaded with the other one.
        mailHost.dkimAlgorithm("ed25519-sha256").start();
        try {
            Domain domain = Domain.withActiveKey("ed25519-sha256");
            assertThat(mail.submit(domain.anna(), PASSWORD, domain.anna(), domain.anna(), "ed25519").accepted()).isTrue();
            byte[] signed = received(domain.anna(), "ed25519");
            DkimVerifier.Result result = verifiedOnceDnsServesTheKey(signed);
            assertThat(result.signature().domain()).isEqualTo(domain.name());
            assertThat(tag(signed, "a")).isEqualTo("ed25519-sha256");
        } finally {
            mailHost.dkimAlgorithm("rsa-sha256").start();
        }
    }

    /** The doors of the forward route and of the way back (SMTP in's SRS domain). */
    @Nested
    class ForwardSigningSecurityIT {

        @Test
        void aForgedXOriginalToGetsNoSignatureOfTheDomainItNames() throws Exception {
            Domain forwarding = Domain.withActiveKey("rsa-sha256");
            Domain victim = Domain.withActiveKey("rsa-sha256");
            String forwarder = "fwd@" + forwarding.name();
            String target = "f" + RUN + "@outside.example";
            events.mailboxCreated(forwarding.tenant(), UUID.randomUUID(), forwarder, "MAIL_LIGHT", List.of(target), false);
            await().atMost(SOON).until(() -> aliasTargets(forwarder).equals(List.of(target)));

            MimeMessage forged = new MimeMessage(Session.getInstance(new Properties()));
            forged.setFrom(new InternetAddress("ceo@" + victim.name()));
            forged.setRecipient(Message.RecipientType.TO, new InternetAddress(forwarder));
            forged.setSubject("forged " + RUN);
            forged.addHeader("X-Original-To", victim.anna());
            forged.setText("Sign me as the victim, please.");
            Properties smtpIn = new Properties();
            smtpIn.put("mail.smtp.host", MailHost.HOST);
            smtpIn.put("mail.smtp.port", Integer.toString(mailHost.smtpPort()));
            smtpIn.put("mail.smtp.from", "mallory@sender.example");
            Transport.send(new MimeMessage(Session.getInstance(smtpIn), new ByteArrayInputStream(toBytes(forged))));

            byte[] forwarded = relayed(target, "forged " + RUN);
            assertThat(signaturesOf(forwarded)).as("one signature, the forwarding domain's").hasSize(1);
            assertThat(tag(forwarded, "d")).isEqualTo(forwarding.name());
        }

        @Test
        void aForgedSrsAddressIsRefusedSoTheSrsDomainRelaysNothing() throws Exception {
            // Today's time stamp, a hash postsrsd did not make: it reverses nothing, and nothing is relayed.
            String forged = "SRS0=AAAA=" + srsTimestamp(Instant.now()) + "=victim.example=bob@" + SRS_DOMAIN;
            assertThat(sendToSrsAddress("<>", forged, "forged bounce " + RUN)).isEqualTo(550);
        }

        @Test
        void anAddressAtTheSrsDomainThatIsNoSrsAddressIsRefused() throws Exception {
            assertThat(sendToSrsAddress("<>", "postmaster@" + SRS_DOMAIN, "not SRS " + RUN)).isEqualTo(550);
        }
    }

    /** A domain of its own with a mailbox anna (password {@link #PASSWORD}) and an active RSA or Ed25519 key. */
    record Domain(String tenant, String name, String anna, DkimKeys.Pair key) {

        static Domain withActiveKey(String algorithm) throws Exception {
            String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
            String name = "k" + UUID.randomUUID().toString().substring(0, 8) + ".example";
            String anna = "anna@" + name;
            events.domainAdded(tenant, name);
            UUID annaId = UUID.randomUUID();
            events.mailboxCreated(tenant, annaId, anna, "MAIL_LIGHT");
            credentials.password(annaId, anna, PASSWORD);
            DkimKeys.Pair key = algorithm.equals("rsa-sha256") ? DkimKeys.rsa(keyEncryption, name, "mbo0001")
                    : DkimKeys.ed25519(keyEncryption, name, "mbo0001");
            events.dkimKeyGenerated(tenant, key);
            credentials.dkimKey(key);
            events.dkimKeyPublished(tenant, key);
            events.dkimSelectorActivated(tenant, key, null, null);
            await().atMost(SOON).until(() -> signingKey(name).equals(List.of(key.keyId().toString())));
            await().atMost(SOON).until(() -> mail.canLogIn(IMAPS, anna, PASSWORD));
            return new Domain(tenant, name, anna, key);
        }
    }

    /**
     * {@link DkimVerifier}'s verdict, asked again until dns-service (which reads the events on its own) serves
     * the key: valid, or the last verdict when it never was.
     */
    static DkimVerifier.Result verifiedOnceDnsServesTheKey(byte[] message) {
        DkimVerifier.Result[] last = new DkimVerifier.Result[1];
        try {
            await().atMost(SOON).pollInterval(Duration.ofMillis(300)).until(() -> (last[0] = verifier.verify(message)).valid());
        } catch (org.awaitility.core.ConditionTimeoutException never) {
            throw new AssertionError("python3-dkim never verified it: " + last[0], never);
        }
        return last[0];
    }

    @Test
    void submittedMailIsSignedWithTheActiveSelectorInboundMailIsNotAndTheKeyShowsNowhere() throws Exception {
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = "k" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        String anna = "anna@" + domain;
        events.domainAdded(tenant, domain);
        UUID annaId = UUID.randomUUID();
        events.mailboxCreated(tenant, annaId, anna, "MAIL_LIGHT");
        credentials.password(annaId, anna, PASSWORD);
        await().atMost(SOON).until(() -> mail.canLogIn(IMAPS, anna, PASSWORD));

        DkimKeys.Pair first = DkimKeys.rsa(keyEncryption, domain, "mbo0001");
        DkimKeys.Pair second = DkimKeys.rsa(keyEncryption, domain, "mbo0002");
        for (DkimKeys.Pair key : List.of(first, second)) {
            events.dkimKeyGenerated(tenant, key);
            credentials.dkimKey(key);
        }
        await().atMost(SOON).until(() -> keyTable(domain).size() == 2);

        // Generated, not yet published: nothing signs.
        assertThat(mail.submit(anna, PASSWORD, anna, anna, "before activation").accepted()).isTrue();
        assertThat(signatureOf(received(anna, "before activation"))).isEmpty();

        events.dkimKeyPublished(tenant, first);
        events.dkimSelectorActivated(tenant, first, null, null);
        await().atMost(SOON).until(() -> signingKey(domain).equals(List.of(first.keyId().toString())));

        assertThat(mail.submit(anna, PASSWORD, anna, anna, "signed by selector 1").accepted()).isTrue();
        assertThat(mail.submitOverSmtps(anna, PASSWORD, anna, anna, "signed over SMTPS").accepted()).isTrue();
        byte[] signedFirst = received(anna, "signed by selector 1");
        assertThat(tag(signedFirst, "s")).isEqualTo("mbo0001");
        assertThat(tag(signedFirst, "d")).isEqualTo(domain);
        assertThat(tag(signedFirst, "a")).isEqualTo("rsa-sha256");
        assertThat(tag(signedFirst, "c")).isEqualTo("relaxed/relaxed");
        assertThat(verifies(signedFirst, first)).isTrue();
        assertThat(verifies(received(anna, "signed over SMTPS"), first)).isTrue();
        assertThat(verifies(signedFirst, second)).as("only with the key that signed it").isFalse();

        // SMTP in (port 25), even with the domain's own address as the author: not signed again.
        assertThat(mail.sendIn(anna, anna, "inbound").accepted()).isTrue();
        assertThat(signatureOf(received(anna, "inbound"))).isEmpty();

        // Rotation: selector 2 signs the next message; the one from before still verifies with selector 1.
        events.dkimKeyPublished(tenant, second);
        events.dkimSelectorActivated(tenant, second, first, Instant.now().plus(Duration.ofDays(5)));
        await().atMost(SOON).until(() -> signingKey(domain).equals(List.of(second.keyId().toString())));

        assertThat(mail.submit(anna, PASSWORD, anna, anna, "signed by selector 2").accepted()).isTrue();
        byte[] signedSecond = received(anna, "signed by selector 2");
        assertThat(tag(signedSecond, "s")).isEqualTo("mbo0002");
        assertThat(verifies(signedSecond, second)).isTrue();
        assertThat(verifies(signedFirst, first)).isTrue();

        // The private keys: in no log of the service or the mail host, on no topic but the credentials.
        for (DkimKeys.Pair key : List.of(first, second)) {
            List<String> fragments = secretFragments(key);
            assertThat(logs()).allSatisfy(log -> assertThat(Files.readString(log, StandardCharsets.ISO_8859_1))
                    .as(log.toString()).doesNotContain(fragments));
            for (String topic : List.of(EVENTS, EVENTS + ".dlq", CREDENTIALS + ".dlq")) {
                try (TopicProbe probe = TopicProbe.open(topic)) {
                    assertThat(probe.readToEnd(record -> true)).extracting(ConsumerRecord::value)
                            .allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(fragments));
                }
            }
        }
    }

    /** The private key's base64 (the PEM's body), in 40-character pieces, and its sealed form. */
    static List<String> secretFragments(DkimKeys.Pair key) {
        List<String> fragments = new ArrayList<>();
        String base64 = key.privateKeyBase64();
        for (int i = 0; i + 40 <= base64.length(); i += 200) {
            fragments.add(base64.substring(i, i + 40));
        }
        fragments.add(key.sealedPrivateKey().substring(0, 40));
        return fragments;
    }

    static List<Path> logs() throws IOException {
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> files = Files.list(mailHost.logDirectory())) {
            files.filter(Files::isRegularFile).forEach(logs::add);
        }
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            files.filter(file -> file.getFileName().toString().contains("-process-")).forEach(logs::add);
        }
        assertThat(logs).as("the logs to search").isNotEmpty();
        return logs;
    }

    /** The message with that subject, as stored, once it is in the INBOX. */
    static byte[] received(String user, String subject) {
        return await().atMost(SOON).until(() -> mail.inboxMessages(user, PASSWORD).stream()
                        .filter(message -> new String(message, StandardCharsets.ISO_8859_1).contains("Subject: " + subject + "\r\n")
                                || new String(message, StandardCharsets.ISO_8859_1).contains("Subject: " + subject + "\n"))
                        .findFirst(), Optional::isPresent).get();
    }

    /** What the relay host received for {@code recipient} (envelope) with that subject, as it arrived. */
    static byte[] relayed(String recipient, String subject) {
        MimeMessage message = await().atMost(SOON).until(() -> relay.findReceivedMessages(
                user -> recipient.equals(user.getEmail()), received -> subject.equals(subjectOf(received))).findFirst(),
                Optional::isPresent).get();
        try {
            return toBytes(message);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The envelope sender GreenMail received (its Return-Path), without the angle brackets. */
    static String returnPath(byte[] message) {
        Matcher matcher = Pattern.compile("(?m)^Return-Path: <([^>]*)>").matcher(new String(message, StandardCharsets.ISO_8859_1));
        assertThat(matcher.find()).as("a Return-Path").isTrue();
        return matcher.group(1);
    }

    /**
     * A delivery status notification as another mail server sends one, to {@code recipient} on SMTP in, with
     * the envelope sender {@code from} ({@code <>}: the null sender of a bounce): 250 when accepted, else the
     * code of the refusal.
     */
    static int sendToSrsAddress(String from, String recipient, String subject) throws Exception {
        String dsn = "From: MAILER-DAEMON@mx.outside.example\r\nTo: <" + recipient + ">\r\nSubject: " + subject + "\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
                + "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.outside.example\r\n\r\n"
                + "Final-Recipient: rfc822; b" + RUN + "@outside.example\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n";
        Session session = Session.getInstance(new Properties());
        SMTPMessage message = new SMTPMessage(session, new ByteArrayInputStream(dsn.getBytes(StandardCharsets.US_ASCII)));
        message.setEnvelopeFrom(from);
        try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
            transport.connect(MailHost.HOST, mailHost.smtpPort(), null, null);
            try {
                transport.sendMessage(message, new Address[] {new InternetAddress(recipient)});
                return transport.getLastReturnCode();
            } catch (SendFailedException refused) {
                for (Exception next = refused; next != null;
                        next = next instanceof MessagingException m ? m.getNextException() : null) {
                    if (next instanceof SMTPAddressFailedException rcpt) {
                        return rcpt.getReturnCode();
                    }
                }
                throw refused;
            }
        }
    }

    /** An SRS address's time stamp (days since the epoch, modulo 1024, in two base-32 characters), as postsrsd makes it. */
    static String srsTimestamp(Instant at) {
        String base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        long days = at.getEpochSecond() / 86_400;
        return "" + base32.charAt((int) (days >> 5 & 31)) + base32.charAt((int) (days & 31));
    }

    static String subjectOf(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] toBytes(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    static List<String> signaturesOf(byte[] message) {
        Matcher matcher = SIGNATURE.matcher(new String(message, StandardCharsets.ISO_8859_1));
        List<String> signatures = new ArrayList<>();
        while (matcher.find()) {
            signatures.add(matcher.group(1));
        }
        return signatures;
    }

    static Optional<String> signatureOf(byte[] message) {
        Matcher matcher = SIGNATURE.matcher(new String(message, StandardCharsets.ISO_8859_1));
        return matcher.find() ? Optional.of(matcher.group(1).replaceAll("\\s+", "")) : Optional.empty();
    }

    static String tag(byte[] message, String name) {
        String signature = signatureOf(message).orElseThrow(() -> new AssertionError("no DKIM-Signature"));
        for (String tag : signature.split(";")) {
            if (tag.startsWith(name + "=")) {
                return tag.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + "= in " + signature);
    }

    /** python3-dkim's verdict, with the key's TXT record served at its selector's name only. */
    static boolean verifies(byte[] message, DkimKeys.Pair key) throws IOException, InterruptedException {
        Path file = Files.createTempFile("dkim-message", ".eml");
        try {
            Files.write(file, message);
            Path script = Path.of("src/test/resources/dkim_verify.py").toAbsolutePath();
            Process process = new ProcessBuilder("/usr/bin/python3", script.toString(), file.toString(),
                    key.selector() + "._domainkey." + key.domain() + ".", key.record())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(output).as("python3-dkim's answer").isIn("True", "False");
            return process.exitValue() == 0;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static List<String> keyTable(String domain) throws SQLException {
        return rows("select key_name from opendkim_key_table where domain = ?", domain);
    }

    static List<String> aliasTargets(String address) throws SQLException {
        return rows("select target from postfix_aliases where address = ?", address);
    }

    static List<String> signingKey(String domain) throws SQLException {
        return rows("select key_name from opendkim_signing_table where domain = ?", domain);
    }

    static List<String> rows(String sql, String parameter) throws SQLException {
        try (Connection connection = mailHost.databaseServer().connect(mailHost.database());
             var query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            var result = query.executeQuery();
            List<String> rows = new ArrayList<>();
            while (result.next()) {
                rows.add(result.getString(1));
            }
            return rows;
        }
    }
}
