package dev.mailops.mailhost;

import static dev.mailops.testinfra.MailClient.Access.IMAPS;
import static dev.mailops.testinfra.MailClient.Access.IMAP_STARTTLS;
import static dev.mailops.testinfra.MailClient.Access.POP3S;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.testinfra.MailClient;
import dev.mailops.testinfra.MailHost;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * The packaged mailhost-service keeps a real mail host ({@code infra/mailhost.sh}: Dovecot and Postfix)
 * from events and credentials published to Kafka, and a real mail client (Angus Mail) sees the result
 * over IMAP, POP3 and SMTP: logins, password changes, aliases, forwardings, quotas, deletions, and the
 * removal of a deleted mailbox's mail. Each test has a tenant and a domain of its own.
 */
class MailHostServiceIT {

    static final String PASSWORD = "Correct-Horse-9";
    static final Duration SOON = Duration.ofSeconds(20);
    static final long KIB_PER_GIB = 1024 * 1024;

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String EVENTS = "it-" + RUN + ".mailhost.mailbox.events";
    static final String CREDENTIALS = "it-" + RUN + ".mailhost.mailbox.credentials";

    static MailHost mailHost;
    static MailClient mail;
    static ServiceProcess service;
    static MailHostEvents events;
    static CredentialsFixture credentials;

    String tenant;
    String domain;

    @BeforeAll
    static void startMailHostAndService() {
        mailHost = TestMailHost.create();
        mailHost.start(); // the read-only role first, so the service's migrations grant it the views
        mail = mailHost.client();
        service = PackagedService.underTest()
                .database(mailHost.database())
                .consuming(EVENTS, "mailhost-" + RUN, EVENTS + ".dlq")
                .with("mp.messaging.incoming.mailbox-credentials.topic", CREDENTIALS)
                .with("mp.messaging.incoming.mailbox-credentials.group.id", "mailhost-" + RUN)
                .with("mp.messaging.incoming.mailbox-credentials.dead-letter-queue.topic", CREDENTIALS + ".dlq")
                .with("mailhost.doveadm.url", mailHost.doveadmUrl())
                .with("mailhost.doveadm.api-key-file", mailHost.doveadmKeyFile().toString())
                .with("mailhost.removal.interval", "1s")
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
        TestInfrastructure.settings().deleteTopics("it-" + RUN + ".");
        if (mailHost != null) {
            mailHost.stop();
        }
    }

    @BeforeEach
    void tenantAndDomainOfItsOwn() {
        tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        domain = "h" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        events.domainAdded(tenant, domain);
    }

    String address(String localPart) {
        return localPart + "@" + domain;
    }

    UUID mailbox(String localPart, String rate, List<String> forwardTo, boolean keepCopy) {
        UUID id = UUID.randomUUID();
        events.mailboxCreated(tenant, id, address(localPart), rate, forwardTo, keepCopy);
        credentials.password(id, address(localPart), PASSWORD);
        await().atMost(SOON).until(() -> mail.canLogIn(IMAPS, address(localPart), PASSWORD));
        return id;
    }

    UUID mailbox(String localPart) {
        return mailbox(localPart, "MAIL_LIGHT", List.of(), false);
    }

    @Test
    void aCreatedMailboxWithItsCredentialLogsInAndAWrongPasswordIsRefused() throws Exception {
        mailbox("anna");

        assertThat(mail.canLogIn(IMAP_STARTTLS, address("anna"), PASSWORD)).isTrue();
        assertThat(mail.canLogIn(POP3S, address("anna"), PASSWORD)).isTrue();
        assertThat(mail.canLogIn(IMAPS, address("anna"), "Wrong-Horse-9")).isFalse();
    }

    /** A mailbox migrated with the bcrypt hash it had (made here by Bouncy Castle, not Dovecot) logs in with its password. */
    @Test
    void anImportedBlfCryptHashLogsIn() throws Exception {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        importedMailbox("blf", "{BLF-CRYPT}" + org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2y",
                PASSWORD.toCharArray(), salt, 10));
    }

    /** A mailbox migrated with the SHA-512 crypt hash it had (made here by Commons Codec) logs in with its password. */
    @Test
    void anImportedSha512CryptHashLogsIn() throws Exception {
        importedMailbox("sha", "{SHA512-CRYPT}" + org.apache.commons.codec.digest.Sha2Crypt.sha512Crypt(
                PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8), "$6$rounds=10000$" + RUN + "salt"));
    }

    private void importedMailbox(String localPart, String passwordHash) throws Exception {
        UUID id = UUID.randomUUID();
        events.mailboxCreated(tenant, id, address(localPart), "MAIL_LIGHT");
        credentials.hash(id, address(localPart), passwordHash);

        await().atMost(SOON).until(() -> mail.canLogIn(IMAPS, address(localPart), PASSWORD));
        assertThat(mail.canLogIn(IMAPS, address(localPart), "Wrong-Horse-9")).isFalse();
    }

    @Test
    void aCredentialBeforeItsMailboxLetsItLogInOnceTheMailboxIsThere() {
        UUID id = UUID.randomUUID();
        credentials.password(id, address("early"), PASSWORD);
        events.mailboxCreated(tenant, id, address("early"), "MAIL_LIGHT");

        await().atMost(SOON).until(() -> mail.canLogIn(IMAPS, address("early"), PASSWORD));
    }

    @Test
    void aNewCredentialRefusesTheOldPasswordAndAcceptsTheNew() throws Exception {
        UUID anna = mailbox("anna");

        credentials.password(anna, address("anna"), "Battery-Staple-7");
        events.passwordChanged(tenant, anna, address("anna"));

        await().atMost(SOON).until(() -> mail.canLogIn(IMAPS, address("anna"), "Battery-Staple-7"));
        assertThat(mail.canLogIn(IMAPS, address("anna"), PASSWORD)).isFalse();
        assertThat(mail.canLogIn(POP3S, address("anna"), PASSWORD)).isFalse();
    }

    @Test
    void mailToAnAliasLandsInTheTargetsInbox() throws Exception {
        UUID anna = mailbox("anna");
        events.aliasAdded(tenant, anna, address("info"));

        await().atMost(SOON).until(() -> mail.sendIn("customer@outside.example", address("info"), "to the alias").accepted());

        await().atMost(SOON).untilAsserted(() ->
                assertThat(mail.inbox(address("anna"), PASSWORD)).containsExactly("to the alias"));
    }

    @Test
    void forwardingWithoutAKeptCopyReachesOnlyTheTarget() throws Exception {
        mailbox("anna");
        mailbox("bob", "MAIL_LIGHT", List.of(address("anna")), false);

        assertThat(mail.sendIn("customer@outside.example", address("bob"), "forwarded").accepted()).isTrue();

        await().atMost(SOON).untilAsserted(() ->
                assertThat(mail.inbox(address("anna"), PASSWORD)).containsExactly("forwarded"));
        assertThat(mail.inbox(address("bob"), PASSWORD)).isEmpty();
    }

    @Test
    void forwardingWithAKeptCopyReachesTheTargetAndTheMailbox() throws Exception {
        mailbox("anna");
        mailbox("bob", "MAIL_LIGHT", List.of(address("anna")), true);

        assertThat(mail.sendIn("customer@outside.example", address("bob"), "forwarded and kept").accepted()).isTrue();

        await().atMost(SOON).untilAsserted(() -> {
            assertThat(mail.inbox(address("anna"), PASSWORD)).containsExactly("forwarded and kept");
            assertThat(mail.inbox(address("bob"), PASSWORD)).containsExactly("forwarded and kept");
        });
    }

    @Test
    void aRateChangeChangesTheQuotaThatGetQuotaRootReports() throws Exception {
        UUID anna = mailbox("anna");
        assertThat(mail.storageLimitKiB(address("anna"), PASSWORD)).isEqualTo(2 * KIB_PER_GIB);

        events.rateChanged(tenant, anna, address("anna"), "MAIL_LIGHT", "MAIL_PREMIUM");

        await().atMost(SOON).until(() -> mail.storageLimitKiB(address("anna"), PASSWORD) == 25 * KIB_PER_GIB);
    }

    @Test
    void aDeletedMailboxCanNoLongerLogInAndItsAddressAndAliasesGet550() throws Exception {
        UUID anna = mailbox("anna");
        events.aliasAdded(tenant, anna, address("info"));
        await().atMost(SOON).until(() -> mail.sendIn("customer@outside.example", address("info"), "before").accepted());

        events.mailboxDeleted(tenant, anna, address("anna"), "MAIL_LIGHT", List.of(address("info")));
        credentials.tombstone(anna);

        await().atMost(SOON).until(() -> !mail.canLogIn(IMAPS, address("anna"), PASSWORD));
        assertThat(mail.canLogIn(POP3S, address("anna"), PASSWORD)).isFalse();
        assertThat(mail.canLogIn(IMAP_STARTTLS, address("anna"), PASSWORD)).isFalse();
        assertThat(mail.sendIn("customer@outside.example", address("anna"), "after").code()).isEqualTo(550);
        assertThat(mail.sendIn("customer@outside.example", address("info"), "after").code()).isEqualTo(550);
    }

    @Test
    void anAddressCreatedAgainAfterItsReleaseStartsWithAnEmptyInbox() throws Exception {
        UUID first = mailboxWithMail("anna", "old mail");

        events.mailboxDeleted(tenant, first, address("anna"), "MAIL_LIGHT", List.of());
        credentials.tombstone(first);
        await().atMost(SOON).until(() -> removedAt(first) != null);
        events.addressReleased(tenant, first, address("anna"));
        UUID again = mailbox("anna");

        assertThat(again).isNotEqualTo(first);
        assertThat(mail.inbox(address("anna"), PASSWORD)).isEmpty();
        assertThat(mail.sendIn("customer@outside.example", address("anna"), "new mail").accepted()).isTrue();
        await().atMost(SOON).untilAsserted(() ->
                assertThat(mail.inbox(address("anna"), PASSWORD)).containsExactly("new mail"));
    }

    @Test
    void aMailboxCreatedAgainWhileItsOldMailIsStillThereWaitsForTheRemoval() throws Exception {
        UUID first = mailboxWithMail("anna", "old mail");

        // Deleted, released and created again in one go: the new mailbox appears only once the old mail is gone.
        events.mailboxDeleted(tenant, first, address("anna"), "MAIL_LIGHT", List.of());
        credentials.tombstone(first);
        events.addressReleased(tenant, first, address("anna"));
        UUID again = mailbox("anna");

        assertThat(removedAt(first)).isNotNull();
        assertThat(again).isNotEqualTo(first);
        assertThat(mail.inbox(address("anna"), PASSWORD)).isEmpty();
    }

    @Test
    void withoutAKeyEncryptionKeyADomainsKeyStaysSealedAndTheHealthCheckSaysSo() {
        DkimKeys.Pair key = DkimKeys.rsa(KeyEncryption.fromBase64(KeyEncryption.generate()), domain, "mbo0001");
        events.dkimKeyGenerated(tenant, key);
        credentials.dkimKey(key);

        JsonPath health = await().atMost(SOON).until(() -> given().port(service.httpPort()).get("/q/health/group/mail-host")
                .then().extract().jsonPath(), json -> json.getInt("checks.find { it.name == 'dkim keys' }.data.liveKeys") > 0);

        assertThat(health.getBoolean("checks.find { it.name == 'dkim keys' }.data.keyEncryptionKeyConfigured")).isFalse();
        assertThat(health.getInt("checks.find { it.name == 'dkim keys' }.data.writtenKeys")).isZero();
        assertThat(health.getString("checks.find { it.name == 'dkim keys' }.status")).isEqualTo("DOWN");
        assertThat(health.getString("status")).isEqualTo("DOWN");
        Path keyDirectory = Path.of(health.getString("checks.find { it.name == 'dkim keys' }.data.keyDirectory"));
        assertThat(keyDirectory.resolve(key.keyId() + ".pem")).doesNotExist();
        assertThat(MailHostState.rows(MailHostServiceIT::connection,
                "select key_name from opendkim_key_table where key_name = '" + key.keyId() + "'")).isEmpty();
    }

    private static Connection connection() {
        try {
            return mailHost.databaseServer().connect(mailHost.database());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A mailbox with one mail, delivered over SMTP into its INBOX. */
    UUID mailboxWithMail(String localPart, String subject) throws Exception {
        UUID id = mailbox(localPart);
        assertThat(mail.sendIn("customer@outside.example", address(localPart), subject).accepted()).isTrue();
        await().atMost(SOON).untilAsserted(() ->
                assertThat(mail.inbox(address(localPart), PASSWORD)).containsExactly(subject));
        return id;
    }

    private static Object removedAt(UUID mailbox) throws SQLException {
        try (Connection connection = mailHost.databaseServer().connect(mailHost.database());
             var query = connection.prepareStatement("select removed_at from mail_removal where mailbox_id = ?")) {
            query.setObject(1, mailbox);
            var result = query.executeQuery();
            return result.next() ? result.getObject(1) : null;
        }
    }

    /**
     * A domain whose DomainAdded carries a verification token is unknown to the mail host until its
     * DomainVerified: RCPT TO for it is refused (relaying denied), its mailboxes cannot log in.
     */
    @Nested
    class UnverifiedDomainSecurityIT {

        @Test
        void mailForAnUnverifiedDomainIsRefusedAndItsMailboxesCannotLogIn() throws Exception {
            String pending = "p" + UUID.randomUUID().toString().substring(0, 8) + ".example";
            events.pendingDomainAdded(tenant, pending);
            UUID anna = UUID.randomUUID();
            events.mailboxCreated(tenant, anna, "anna@" + pending, "MAIL_LIGHT");
            credentials.password(anna, "anna@" + pending, PASSWORD);
            // A mailbox at the tenant's verified domain, published after them on the same partition: once it
            // logs in, the pending domain's events were applied too.
            mailbox("marker");

            assertThat(mail.canLogIn(IMAPS, "anna@" + pending, PASSWORD)).isFalse();
            MailClient.Outcome refused = mail.sendIn("customer@outside.example", "anna@" + pending, "too early");
            assertThat(refused.accepted()).as(refused.response()).isFalse();
            assertThat(refused.code()).as(refused.response()).isIn(550, 554);

            events.domainVerified(tenant, pending);
            await().atMost(SOON).until(() -> mail.canLogIn(IMAPS, "anna@" + pending, PASSWORD));
            // Postfix's smtpd keeps its last address resolution (the refusal above) until it resolves another
            // address: mail to the marker comes first, as other mail would.
            await().atMost(SOON).untilAsserted(() -> {
                assertThat(mail.sendIn("customer@outside.example", address("marker"), "other mail").accepted()).isTrue();
                MailClient.Outcome accepted = mail.sendIn("customer@outside.example", "anna@" + pending, "now");
                assertThat(accepted.accepted()).as(accepted.response()).isTrue();
            });
        }
    }
}
