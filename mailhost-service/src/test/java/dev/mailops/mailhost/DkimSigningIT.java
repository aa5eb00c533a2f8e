package dev.mailops.mailhost;

import static dev.mailops.testinfra.MailClient.Access.IMAPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.testinfra.MailClient;
import dev.mailops.testinfra.MailHost;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TopicProbe;

/**
 * The mail host signs with the domain's own keys: the packaged mailhost-service, fed DkimPrivateKey
 * records and the Dkim* events, writes the keys for OpenDKIM ({@code infra/mailhost.sh}), which signs what
 * a mailbox submits (submission, SMTPS) with the domain's active selector and leaves mail coming in on
 * SMTP alone. Each signature is checked by an independent verifier, Debian's python3-dkim, against the
 * TXT record the DkimKeyGenerated event carries. The private key shows in no log and on no other topic.
 */
class DkimSigningIT {

    static final String PASSWORD = "Correct-Horse-9";
    static final Duration SOON = Duration.ofSeconds(30);
    static final Pattern SIGNATURE = Pattern.compile("(?im)^DKIM-Signature:((?:.*)(?:\\r?\\n[ \\t].*)*)");

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String EVENTS = "it-" + RUN + ".mailhost.mailbox.events";
    static final String CREDENTIALS = "it-" + RUN + ".mailhost.mailbox.credentials";

    static MailHost mailHost;
    static MailClient mail;
    static ServiceProcess service;
    static MailHostEvents events;
    static CredentialsFixture credentials;
    static KeyEncryption keyEncryption;

    @BeforeAll
    static void startMailHostAndService() throws IOException {
        mailHost = TestMailHost.create();
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
                .start();
        events = new MailHostEvents(EVENTS);
        credentials = new CredentialsFixture(CREDENTIALS);
    }

    @AfterAll
    static void stop() {
        if (events != null) {
            events.close();
            credentials.close();
        }
        if (service != null) {
            service.close();
        }
        if (mailHost != null) {
            mailHost.stop();
        }
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
