package dev.mailops.mailhost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.mailhost.dkim.PrivateKeyPem;
import dev.mailops.testinfra.MailboxEventsFixture;
import dev.mailops.testinfra.TopicProbe;

/**
 * mailhost-service keeps the mail host's tables and views from the events and the credentials (on
 * topics of this run), writes the domains' DKIM keys as files for the signer, and a replay rebuilds
 * exactly the same state. No mail host runs here, so the
 * removals of deleted mailboxes' mail stay pending (their effect on a real one: MailHostServiceIT).
 */
@QuarkusTest
class MailHostServiceTest {

    static final Duration APPLIED = Duration.ofSeconds(30);
    static final long GIB = 1L << 30;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "mp.messaging.incoming.mailbox-events.topic")
    String eventsTopic;
    @ConfigProperty(name = "mp.messaging.incoming.mailbox-events.dead-letter-queue.topic")
    String eventsDeadLetters;
    @ConfigProperty(name = "mp.messaging.incoming.mailbox-credentials.topic")
    String credentialsTopic;
    @ConfigProperty(name = "mp.messaging.incoming.mailbox-credentials.dead-letter-queue.topic")
    String credentialsDeadLetters;
    @ConfigProperty(name = "mailhost.dkim.key-encryption-key-file")
    Path keyEncryptionKeyFile;
    @ConfigProperty(name = "mailhost.dkim.key-directory")
    Path keyDirectory;

    static MailHostEvents events;
    static CredentialsFixture credentials;

    @AfterAll
    static void close() {
        if (events != null) {
            events.close();
            credentials.close();
        }
    }

    void producers() {
        if (events == null) {
            events = new MailHostEvents(eventsTopic);
            credentials = new CredentialsFixture(credentialsTopic);
        }
    }

    static String newDomain() {
        return "d" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }

    @Test
    void eventsAndCredentialsMakeALoginAMailboxAndItsAddresses() {
        producers();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = newDomain();
        UUID anna = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        credentials.hash(anna, "anna@" + domain, CredentialRecordsHash.HASH_A); // before its MailboxCreated
        events.domainAdded(tenant, domain);
        events.mailboxCreated(tenant, anna, "anna@" + domain, "MAIL_LIGHT");
        events.mailboxCreated(tenant, bob, "bob@" + domain, "MAIL_STANDARD", List.of("anna@" + domain, "x@other.example"), true);
        events.aliasAdded(tenant, anna, "info@" + domain);
        events.aliasAdded(tenant, anna, "sales@" + domain);
        events.aliasRemoved(tenant, anna, "sales@" + domain);
        events.rateChanged(tenant, anna, "anna@" + domain, "MAIL_LIGHT", "MAIL_PREMIUM");
        events.passwordChanged(tenant, anna, "anna@" + domain);
        credentials.hash(bob, "bob@" + domain, CredentialRecordsHash.HASH_B); // after it

        await().atMost(APPLIED).untilAsserted(() -> {
            assertThat(rows("select address || ' ' || password from dovecot_passdb where address like '%@" + domain + "'"))
                    .containsExactlyInAnyOrder("anna@" + domain + " " + CredentialRecordsHash.HASH_A,
                            "bob@" + domain + " " + CredentialRecordsHash.HASH_B);
            assertThat(rows("select address || ' ' || maildir || ' ' || quota_bytes from dovecot_userdb where address like '%@" + domain + "'"))
                    .containsExactlyInAnyOrder("anna@" + domain + " " + domain + "/anna " + 25 * GIB,
                            "bob@" + domain + " " + domain + "/bob " + 10 * GIB);
        });
        assertThat(rows("select domain from postfix_domains where domain = '" + domain + "'")).containsExactly(domain);
        assertThat(rows("select address || ' -> ' || target from postfix_aliases where address like '%@" + domain + "'"))
                .containsExactlyInAnyOrder("info@" + domain + " -> anna@" + domain,
                        "bob@" + domain + " -> anna@" + domain, "bob@" + domain + " -> x@other.example",
                        "bob@" + domain + " -> bob@" + domain);
        assertThat(rows("select address || ' as ' || login from postfix_sender_logins where address like '%@" + domain + "'"))
                .as("a mailbox sends as itself and as its aliases, not as its forwarding targets")
                .containsExactlyInAnyOrder("anna@" + domain + " as anna@" + domain, "info@" + domain + " as anna@" + domain,
                        "bob@" + domain + " as bob@" + domain);
    }

    @Test
    void aDeletedMailboxLeavesEveryViewAtOnceAndItsMailIsToBeRemoved() {
        producers();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = newDomain();
        UUID anna = UUID.randomUUID();
        events.domainAdded(tenant, domain);
        events.mailboxCreated(tenant, anna, "anna@" + domain, "MAIL_LIGHT", List.of("x@other.example"), true);
        events.aliasAdded(tenant, anna, "info@" + domain);
        credentials.password(anna, "anna@" + domain, "Correct-Horse-9");
        await().atMost(APPLIED).until(() -> !rows("select address from dovecot_passdb where address = 'anna@" + domain + "'").isEmpty());

        events.mailboxDeleted(tenant, anna, "anna@" + domain, "MAIL_LIGHT", List.of("info@" + domain));
        credentials.tombstone(anna);

        await().atMost(APPLIED).untilAsserted(() -> {
            assertThat(rows("select address from postfix_mailboxes where address like '%@" + domain + "'")).isEmpty();
            assertThat(rows("select mailbox_id::text from mailbox_credential where mailbox_id = '" + anna + "'")).isEmpty();
        });
        assertThat(rows("select address from dovecot_passdb where address like '%@" + domain + "'")).isEmpty();
        assertThat(rows("select address from postfix_aliases where address like '%@" + domain + "'")).isEmpty();
        assertThat(rows("select address from postfix_sender_logins where address like '%@" + domain + "'")).isEmpty();
        assertThat(rows("select address || ' ' || quota_bytes from dovecot_userdb where address like '%@" + domain + "'"))
                .as("doveadm can still find the home whose mail it removes").containsExactly("anna@" + domain + " 0");
        assertThat(rows("select maildir || ' ' || (removed_at is null) from mail_removal where mailbox_id = '" + anna + "'"))
                .containsExactly(domain + "/anna true");

        // Released and created again while the old mail is not removed yet: the new mailbox waits for it.
        UUID again = UUID.randomUUID();
        events.addressReleased(tenant, anna, "anna@" + domain);
        events.mailboxCreated(tenant, again, "anna@" + domain, "MAIL_LIGHT");
        credentials.password(again, "anna@" + domain, "Other-Horse-9");
        await().atMost(APPLIED).until(() -> !rows("select id::text from mailbox where id = '" + again + "'").isEmpty()
                && !rows("select 1 from mailbox_credential where mailbox_id = '" + again + "'").isEmpty());
        assertThat(rows("select address from dovecot_passdb where address = 'anna@" + domain + "'")).isEmpty();
        assertThat(rows("select address from postfix_mailboxes where address = 'anna@" + domain + "'")).isEmpty();

        update("update mail_removal set removed_at = now() where mailbox_id = '" + anna + "'"); // as the removal does

        assertThat(rows("select address from dovecot_passdb where address = 'anna@" + domain + "'")).hasSize(1);
        assertThat(rows("select address || ' ' || quota_bytes from dovecot_userdb where address = 'anna@" + domain + "'"))
                .containsExactly("anna@" + domain + " " + 2 * GIB);
    }

    /**
     * A squatter's pending claim expires: its mailbox and alias there go by their own events and then
     * the domain. The owner's claim of the name may arrive first (its own partition): it takes the
     * domain's place, and even proven it serves nothing of the squatter's still waiting to be removed.
     */
    @Test
    void anExpiredClaimLeavesTheMailHostAndTheNextClaimantIsNotShadowed() {
        producers();
        String squatter = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String owner = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = newDomain();
        String squattersOwn = newDomain();
        UUID anna = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        events.pendingDomainAdded(squatter, domain);
        events.domainAdded(squatter, squattersOwn);
        events.mailboxCreated(squatter, anna, "anna@" + domain, "MAIL_LIGHT");
        events.mailboxCreated(squatter, bob, "bob@" + squattersOwn, "MAIL_LIGHT");
        events.aliasAdded(squatter, bob, "info@" + domain);
        credentials.password(anna, "anna@" + domain, "Correct-Horse-9");
        await().atMost(APPLIED).until(() -> !rows("select 1 from alias where address = 'info@" + domain + "'").isEmpty()
                && !rows("select 1 from mailbox_credential where mailbox_id = '" + anna + "'").isEmpty());

        events.pendingDomainAdded(owner, domain);
        events.domainVerified(owner, domain);
        await().atMost(APPLIED).untilAsserted(() -> assertThat(rows("select tenant_id || ' ' || verified from mail_domain"
                + " where domain = '" + domain + "'")).containsExactly(owner + " true"));
        assertThat(rows("select domain from postfix_domains where domain = '" + domain + "'")).containsExactly(domain);
        assertThat(rows("select address from dovecot_passdb where address like '%@" + domain + "'")).isEmpty();
        assertThat(rows("select address from postfix_mailboxes where address like '%@" + domain + "'")).isEmpty();
        assertThat(rows("select address from postfix_aliases where address like '%@" + domain + "'")).isEmpty();
        assertThat(rows("select address from postfix_sender_logins where address like '%@" + domain + "'")).isEmpty();

        events.mailboxDeleted(squatter, anna, "anna@" + domain, "MAIL_LIGHT", List.of());
        events.aliasRemoved(squatter, bob, "info@" + domain);
        events.domainClaimExpired(squatter, domain);
        String later = newDomain();
        UUID carl = UUID.randomUUID();
        events.pendingDomainAdded(squatter, later);
        events.mailboxCreated(squatter, carl, "carl@" + later, "MAIL_LIGHT");
        // Once these are here, everything before them on the squatter's partition is: the late expiry too.
        await().atMost(APPLIED).until(() -> !rows("select 1 from mailbox where id = '" + carl + "'").isEmpty());
        assertThat(rows("select id::text from mailbox where domain = '" + domain + "'")).isEmpty();
        assertThat(rows("select address from alias where address like '%@" + domain + "'")).isEmpty();
        assertThat(rows("select tenant_id || ' ' || verified from mail_domain where domain = '" + domain + "'"))
                .as("the late expiry leaves the owner's domain").containsExactly(owner + " true");

        // In order, as the squatter's own partition carries them: the mailbox goes, then the pending domain.
        events.mailboxDeleted(squatter, carl, "carl@" + later, "MAIL_LIGHT", List.of());
        events.domainClaimExpired(squatter, later);
        await().atMost(APPLIED).until(() -> rows("select 1 from mail_domain where domain = '" + later + "'").isEmpty());
    }

    @Test
    void anUnknownRateIsDeadLetteredAndTheEventsAfterItAreApplied() throws Exception {
        producers();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = newDomain();
        UUID gold = UUID.randomUUID();
        UUID light = UUID.randomUUID();
        try (TopicProbe deadLetters = TopicProbe.open(eventsDeadLetters)) {
            events.domainAdded(tenant, domain);
            MailboxEventsFixture.Sent poison = events.mailboxCreated(tenant, gold, "gold@" + domain, "MAIL_GOLD");
            events.mailboxCreated(tenant, light, "light@" + domain, "MAIL_LIGHT");
            events.rateChanged(tenant, light, "light@" + domain, "MAIL_LIGHT", "MAIL_GOLD");

            assertThat(deadLetters.await(record -> record.value().contains(gold.toString())
                    || record.value().contains(light.toString()) && record.value().contains("\"rate\":\"MAIL_GOLD\""), 2,
                    APPLIED)).hasSize(2);
            assertThat(new String(deadLetters.await(record -> record.value().contains(gold.toString()), 1, APPLIED).get(0)
                    .headers().lastHeader("ce_id").value())).isEqualTo(poison.id().toString());
        }
        await().atMost(APPLIED).until(() -> !rows("select 1 from mailbox where id = '" + light + "'").isEmpty());
        assertThat(rows("select quota_bytes::text from mailbox where id = '" + light + "'")).containsExactly(Long.toString(2 * GIB));
        assertThat(rows("select 1 from mailbox where id = '" + gold + "'")).isEmpty();
    }

    @Test
    void aRecordThatIsNoCredentialIsDeadLetteredAndTheNextIsWritten() throws Exception {
        producers();
        UUID anna = UUID.randomUUID();
        try (TopicProbe deadLetters = TopicProbe.open(credentialsDeadLetters)) {
            credentials.send("not-a-mailbox-id", "{}");
            credentials.hash(anna, "anna@x.example", CredentialRecordsHash.HASH_A);

            assertThat(deadLetters.await(record -> "not-a-mailbox-id".equals(record.key()), 1, APPLIED)).hasSize(1);
        }
        await().atMost(APPLIED).until(() -> !rows("select 1 from mailbox_credential where mailbox_id = '" + anna + "'").isEmpty());
    }

    @Test
    void aCredentialWhoseWriteAlwaysFailsIsDeadLetteredAfterItsAttemptsAndTheOthersOfItsPollAreWritten()
            throws Exception {
        producers();
        UUID refused = UUID.randomUUID();
        UUID anna = UUID.randomUUID();
        // A real, non-transient refusal from the database (SQLState P0001) for this one mailbox's row.
        update("create or replace function refuse_test_credential() returns trigger language plpgsql as $$ begin "
                + "if new.mailbox_id::text = '" + refused + "' then raise exception 'refused by the test'; end if; "
                + "return new; end $$");
        update("create trigger refuse_test_credential before insert or update on mailbox_credential "
                + "for each row execute function refuse_test_credential()");
        try (TopicProbe deadLetters = TopicProbe.open(credentialsDeadLetters)) {
            credentials.hash(refused, "refused@x.example", CredentialRecordsHash.HASH_A);
            credentials.hash(anna, "anna@x.example", CredentialRecordsHash.HASH_A);

            var dead = deadLetters.await(record -> refused.toString().equals(record.key()), 1, APPLIED).get(0);
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value()))
                    .startsWith("failed 5 times").doesNotContain(CredentialRecordsHash.HASH_A);
            await().atMost(APPLIED).until(() -> !rows("select 1 from mailbox_credential where mailbox_id = '" + anna + "'").isEmpty());
            assertThat(rows("select 1 from mailbox_credential where mailbox_id = '" + refused + "'")).isEmpty();
        } finally {
            update("drop trigger if exists refuse_test_credential on mailbox_credential");
            update("drop function if exists refuse_test_credential()");
        }
    }

    @Test
    void aDomainsKeysBecomeKeyFilesAndTheSignerSignsWithTheActiveSelectorOnly() throws Exception {
        producers();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = newDomain();
        DkimKeys.Pair first = DkimKeys.rsa(keyEncryption(), domain, "mbo0001");
        DkimKeys.Pair second = DkimKeys.ed25519(keyEncryption(), domain, "mbo0002");
        events.dkimKeyGenerated(tenant, first);
        events.dkimKeyGenerated(tenant, second);
        credentials.dkimKey(second); // a key may come before or after its event
        credentials.dkimKey(first);

        await().atMost(APPLIED).untilAsserted(() -> assertThat(rows("select key_name || ' ' || domain || ' ' || selector || ' ' "
                + "|| key_path from opendkim_key_table where domain = '" + domain + "'")).containsExactlyInAnyOrder(
                        first.keyId() + " " + domain + " mbo0001 " + keyFile(first),
                        second.keyId() + " " + domain + " mbo0002 " + keyFile(second)));
        for (DkimKeys.Pair key : List.of(first, second)) {
            assertThat(Files.readAllBytes(keyFile(key))).as("the opened key, as PEM")
                    .isEqualTo(PrivateKeyPem.encode(Base64.getDecoder().decode(key.privateKeyBase64())));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile(key)))).isEqualTo("rw-r-----");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDirectory))).isEqualTo("rwxr-x---");
        assertThat(rows("select state from dkim_selector where domain = '" + domain + "'")).containsExactly("generated", "generated");
        assertThat(rows("select key_name from opendkim_signing_table where domain = '" + domain + "'"))
                .as("no key signs before its selector is activated").isEmpty();
        assertThat(rows("select sealed_private_key from dkim_private_key where key_id = '" + first.keyId() + "'"))
                .as("sealed at rest, as delivered").containsExactly(first.sealedPrivateKey());

        events.dkimKeyPublished(tenant, first);
        events.dkimSelectorActivated(tenant, first, null, null);
        await().atMost(APPLIED).untilAsserted(() -> assertThat(signingKey(domain)).containsExactly(first.keyId().toString()));

        Instant retiresAt = Instant.parse("2030-01-01T00:00:00Z");
        events.dkimKeyPublished(tenant, second);
        events.dkimSelectorActivated(tenant, second, first, retiresAt);
        await().atMost(APPLIED).untilAsserted(() -> assertThat(signingKey(domain)).containsExactly(second.keyId().toString()));
        assertThat(rows("select selector || ' ' || state from dkim_selector where domain = '" + domain + "'"))
                .containsExactly("mbo0001 retiring", "mbo0002 active");
        assertThat(keyFile(first)).as("a retiring key stays until it is retired").exists();

        // Retired and replaced under its selector, the private key tombstoned: its file goes.
        DkimKeys.Pair fresh = DkimKeys.rsa(keyEncryption(), domain, "mbo0001");
        events.dkimKeyRetired(tenant, first);
        events.dkimKeyGenerated(tenant, fresh);
        credentials.dkimTombstone(first.keyId());
        credentials.dkimKey(fresh);

        await().atMost(APPLIED).untilAsserted(() -> {
            assertThat(rows("select key_name from opendkim_key_table where domain = '" + domain + "'"))
                    .containsExactlyInAnyOrder(second.keyId().toString(), fresh.keyId().toString());
            assertThat(keyFile(first)).doesNotExist();
            assertThat(rows("select 1 from dkim_private_key where key_id = '" + first.keyId() + "'")).isEmpty();
        });
        assertThat(signingKey(domain)).containsExactly(second.keyId().toString());
    }

    @Test
    void aKeyFileDeletedBehindTheWritersBackIsWrittenAgain() throws Exception {
        producers();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = newDomain();
        DkimKeys.Pair key = DkimKeys.rsa(keyEncryption(), domain, "mbo0001");
        events.dkimKeyGenerated(tenant, key);
        credentials.dkimKey(key);
        await().atMost(APPLIED).until(() -> Files.exists(keyFile(key)));

        Files.delete(keyFile(key)); // an empty directory after a restart, or another instance's

        await().atMost(APPLIED).until(() -> Files.exists(keyFile(key)));
        assertThat(Files.readAllBytes(keyFile(key))).isEqualTo(PrivateKeyPem.encode(Base64.getDecoder().decode(key.privateKeyBase64())));
    }

    @Test
    void aRecordThatIsNoDkimKeyIsDeadLetteredAndTheNextIsWritten() throws Exception {
        producers();
        String domain = newDomain();
        DkimKeys.Pair key = DkimKeys.rsa(keyEncryption(), domain, "mbo0001");
        UUID poison = UUID.randomUUID();
        try (TopicProbe deadLetters = TopicProbe.open(credentialsDeadLetters)) {
            credentials.send("dkim:" + poison, "{\"keyId\":\"" + poison + "\"}", "DkimPrivateKey", poison.toString());
            credentials.dkimKey(key);

            assertThat(deadLetters.await(record -> ("dkim:" + poison).equals(record.key()), 1, APPLIED)).hasSize(1);
        }
        await().atMost(APPLIED).until(() -> !rows("select 1 from dkim_private_key where key_id = '" + key.keyId() + "'").isEmpty());
    }

    @Test
    void aReplayRebuildsEveryTableAndViewExactly() {
        producers();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = newDomain();
        UUID[] ids = new UUID[6];
        events.domainAdded(tenant, domain);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = UUID.randomUUID();
            String address = "m" + i + "@" + domain;
            events.mailboxCreated(tenant, ids[i], address, i % 2 == 0 ? "MAIL_LIGHT" : "MAIL_STANDARD",
                    i == 1 ? List.of("m0@" + domain) : List.of(), i == 1);
            credentials.password(ids[i], address, "Horse-" + i + "-Battery");
            events.aliasAdded(tenant, ids[i], "a" + i + "@" + domain);
        }
        events.aliasRemoved(tenant, ids[2], "a2@" + domain);
        events.rateChanged(tenant, ids[3], "m3@" + domain, "MAIL_STANDARD", "MAIL_PREMIUM");
        credentials.password(ids[4], "m4@" + domain, "A-New-Horse-4"); // a password change
        events.passwordChanged(tenant, ids[4], "m4@" + domain);
        events.mailboxDeleted(tenant, ids[5], "m5@" + domain, "MAIL_STANDARD", List.of("a5@" + domain));
        credentials.tombstone(ids[5]);
        events.addressReleased(tenant, ids[5], "m5@" + domain);
        UUID recreated = UUID.randomUUID();
        events.mailboxCreated(tenant, recreated, "m5@" + domain, "MAIL_PREMIUM");
        credentials.password(recreated, "m5@" + domain, "Horse-5-Again");
        // DKIM: a rotation half-way (mbo0002 active, mbo0001's old key retired and replaced, its tombstone).
        DkimKeys.Pair first = DkimKeys.rsa(keyEncryption(), domain, "mbo0001");
        DkimKeys.Pair second = DkimKeys.rsa(keyEncryption(), domain, "mbo0002");
        DkimKeys.Pair fresh = DkimKeys.rsa(keyEncryption(), domain, "mbo0001");
        for (DkimKeys.Pair key : List.of(first, second)) {
            events.dkimKeyGenerated(tenant, key);
            credentials.dkimKey(key);
            events.dkimKeyPublished(tenant, key);
        }
        events.dkimSelectorActivated(tenant, first, null, null);
        events.dkimSelectorActivated(tenant, second, first, Instant.parse("2030-01-01T00:00:00Z"));
        events.dkimKeyRetired(tenant, first);
        events.dkimKeyGenerated(tenant, fresh);
        credentials.dkimTombstone(first.keyId());
        credentials.dkimKey(fresh);
        events.mailboxCreated(tenant, UUID.randomUUID(), "poison@" + domain, "MAIL_GOLD"); // dead-lettered
        MailboxEventsFixture.Sent last = events.rateChanged(tenant, ids[0], "m0@" + domain, "MAIL_LIGHT", "MAIL_STANDARD");
        events.fixture.resend(last); // a redelivery on the topic, too

        await().atMost(APPLIED).until(() -> !rows("select 1 from mailbox_credential where mailbox_id = '" + recreated + "'").isEmpty()
                && !rows("select 1 from processed_event where event_id = '" + last.id() + "'").isEmpty()
                && rows("select key_name from opendkim_key_table where domain = '" + domain + "'").size() == 2
                && rows("select 1 from dkim_private_key where key_id = '" + first.keyId() + "'").isEmpty());
        Map<String, List<String>> live = MailHostState.snapshot(this::connection);
        assertThat(live.get("mail_removal")).isNotEmpty();
        assertThat(live.get("opendkim_signing_table")).anyMatch(row -> row.contains(second.keyId().toString()));

        JsonPath result = given().header("X-Tenant-Id", "operations").header("X-User-Id", "op").header("X-User-Roles", "operator")
                .post("/api/v1/operations/replay").then().statusCode(200).extract().jsonPath();

        assertThat(result.getLong("events.records")).isGreaterThan(result.getLong("events.applied"));
        assertThat(result.getLong("events.deadLettered")).isGreaterThanOrEqualTo(1);
        assertThat(result.getLong("credentials.applied")).isGreaterThanOrEqualTo(12);
        assertThat(MailHostState.snapshot(this::connection)).isEqualTo(live);

        given().header("X-Tenant-Id", tenant).header("X-User-Id", "u-1").header("X-User-Roles", "admin")
                .post("/api/v1/operations/replay").then().statusCode(403);
    }

    @Test
    void metricsShowTheAppliedEventsTheMailboxesAndTheRemovalBacklog() {
        producers();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = newDomain();
        events.domainAdded(tenant, domain);
        UUID id = UUID.randomUUID();
        events.mailboxCreated(tenant, id, "m@" + domain, "MAIL_LIGHT");
        await().atMost(APPLIED).until(() -> !rows("select 1 from mailbox where id = '" + id + "'").isEmpty());

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics.lines()).anyMatch(line -> line.startsWith("mailhost_events_applied_total{")
                && line.contains("type=\"MailboxCreated\""));
        assertThat(metrics.lines()).anyMatch(line -> line.startsWith("mailhost_mailboxes_active{"))
                .anyMatch(line -> line.startsWith("mailhost_removals_pending{"))
                .anyMatch(line -> line.startsWith("mailhost_removals_oldest_pending_seconds{"));
        given().get("/q/health/ready").then().statusCode(200);
        // No mail host answers here: the removal's health says so, outside readiness.
        given().get("/q/health/group/mail-host").then().statusCode(503);
    }

    KeyEncryption keyEncryption() {
        return KeyEncryption.fromFile(keyEncryptionKeyFile);
    }

    Path keyFile(DkimKeys.Pair key) {
        return keyDirectory.resolve(key.keyId() + ".pem");
    }

    List<String> signingKey(String domain) {
        return rows("select key_name from opendkim_signing_table where domain = '" + domain + "'");
    }

    private Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> rows(String sql) {
        return MailHostState.rows(this::connection, sql);
    }

    private void update(String sql) {
        try (Connection connection = connection(); var statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

}
