package dev.mailops.mailbox.ownership;

import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

import dev.mailops.mailbox.Api;
import dev.mailops.mailbox.dkim.DkimEnabled;
import dev.mailops.mailbox.dkim.TestDnsServer;
import dev.mailops.mailbox.time.TestClock;
import dev.mailops.mailbox.command.MailboxCommands;
import dev.mailops.mailbox.store.EventStore;
import dev.mailops.mailbox.store.StreamId;

/**
 * The doors around a tenant's domains, under the dns-txt policy with a real DNS server the test
 * starts as the resolver (the first server of {@link DkimEnabled}): a domain is pending until its
 * TXT record is found, a wrong token proves nothing, a domain nested in another tenant's (either
 * way) is refused, and so are reserved names, public suffixes and the provider's own names; a pending
 * claim expires unproven after its lifetime, so nobody keeps the owner out for ever.
 */
@QuarkusTest
@TestProfile(DkimEnabled.class)
class DomainVerificationSecurityTest {

    static final TestDnsServer RESOLVER = DkimEnabled.servers().get(0);
    /** The claim lifetime the profile keeps at its default. */
    static final Duration LIFETIME = Duration.ofDays(7);

    @Inject
    EventStore eventStore;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MailboxCommands commands;
    @Inject
    TestClock clock;

    @Test
    void aPendingDomainIsVerifiedOnlyByItsTxtRecordFoundThroughTheResolver() {
        String tenant = newTenant();
        String domain = newDomain();
        JsonPath pending = admin(tenant).put("/api/v1/domains/" + domain).then().statusCode(201)
                .body("state", equalTo("pending")).body("verification.record.type", equalTo("TXT"))
                .body("verification.record.name", equalTo("_mailops-verification." + domain))
                .extract().jsonPath();
        String value = pending.getString("verification.record.value");
        assertThat(value).matches("mailops-verification=[A-Za-z0-9_-]{32}");

        admin(tenant).post("/api/v1/domains/" + domain + "/verify").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/domain-not-verified"))
                .body("recordName", equalTo("_mailops-verification." + domain))
                .body("recordType", equalTo("TXT"))
                .body("recordValue", equalTo(value));
        assertThat(types(domain)).containsExactly("DomainAdded");

        RESOLVER.serve("_mailops-verification." + domain, "v=spf1 -all", value);
        admin(tenant).post("/api/v1/domains/" + domain + "/verify").then().statusCode(200)
                .body("state", equalTo("verified")).body("verification.method", equalTo("dns-txt"))
                .body("verification.record", equalTo(null));
        assertThat(types(domain)).containsExactly("DomainAdded", "DomainVerified");
        admin(tenant).post("/api/v1/domains/" + domain + "/verify").then().statusCode(200);
        assertThat(types(domain)).as("verified once").containsExactly("DomainAdded", "DomainVerified");
    }

    @Test
    void theScheduledCheckVerifiesADomainWhoseRecordAppears() {
        String tenant = newTenant();
        String domain = newDomain();
        String value = admin(tenant).put("/api/v1/domains/" + domain).then().statusCode(201)
                .extract().path("verification.record.value");
        RESOLVER.serve("_mailops-verification." + domain, value);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                admin(tenant).get("/api/v1/domains/" + domain).then().body("state", equalTo("verified")));
    }

    @Test
    void aTenantsCheckThatMeetsTheScheduledOneOnTheSameDomainWaitsForItInsteadOfFailing() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        String value = admin(tenant).put("/api/v1/domains/" + domain).then().statusCode(201)
                .extract().path("verification.record.value");
        ExecutorService tenantsCheck = Executors.newSingleThreadExecutor();
        try (Connection scheduledCheck = dataSource.getConnection()) {
            // What the scheduled check does in its transaction: lock the domain's row, then append.
            scheduledCheck.setAutoCommit(false);
            try (PreparedStatement lock = scheduledCheck.prepareStatement(
                    "select domain from mail_domain where domain = ? for update")) {
                lock.setString(1, domain);
                lock.executeQuery().close();
            }
            RESOLVER.serve("_mailops-verification." + domain, value);
            Future<Integer> verify = tenantsCheck.submit(() ->
                    admin(tenant).post("/api/v1/domains/" + domain + "/verify").then().extract().statusCode());
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock(scheduledCheck));
            try (PreparedStatement append = scheduledCheck.prepareStatement("""
                    insert into event_store (event_id, stream_type, stream_id, stream_version, tenant_id, event_type,
                                             schema_version, payload, occurred_at)
                    values (?, 'MailDomain', ?, 2, ?, 'DomainVerified', 1, '{}', now())""")) {
                append.setObject(1, UUID.randomUUID());
                append.setString(2, domain);
                append.setString(3, tenant);
                append.executeUpdate();
            }
            // Past PostgreSQL's deadlock_timeout two transactions waiting for each other are found, and the
            // one that waited first (the tenant's) is rolled back; the tenant's check must still be waiting.
            Duration deadlockTimeout = deadlockTimeout(scheduledCheck);
            await().during(deadlockTimeout.plusMillis(500)).atMost(deadlockTimeout.plusSeconds(10))
                    .until(() -> !verify.isDone());
            scheduledCheck.rollback();
            assertThat(verify.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        } finally {
            tenantsCheck.shutdownNow();
        }
        assertThat(types(domain)).filteredOn("DomainVerified"::equals).hasSize(1);
    }

    private static Duration deadlockTimeout(Connection connection) throws SQLException {
        try (Statement setting = connection.createStatement(); ResultSet millis = setting.executeQuery(
                "select setting::int from pg_settings where name = 'deadlock_timeout'")) {
            millis.next();
            return Duration.ofMillis(millis.getInt(1));
        }
    }

    /** Whether another session of this database waits for a lock the given one may hold. */
    private static boolean waitingForALock(Connection holder) throws SQLException {
        try (Statement waiting = holder.createStatement(); ResultSet count = waiting.executeQuery("""
                select count(*) from pg_stat_activity where datname = current_database()
                and wait_event_type = 'Lock' and pid <> pg_backend_pid()""")) {
            return count.next() && count.getInt(1) > 0;
        }
    }

    @Test
    void aWrongTokenIsRefused() {
        String tenant = newTenant();
        String domain = newDomain();
        String other = newDomain();
        admin(tenant).put("/api/v1/domains/" + domain).then().statusCode(201);
        String otherValue = admin(tenant).put("/api/v1/domains/" + other).then().statusCode(201)
                .extract().path("verification.record.value");
        // Another domain's token, and this domain's record at the other name: neither proves it.
        RESOLVER.serve("_mailops-verification." + domain, otherValue, "mailops-verification=", "mailops-verification");
        admin(tenant).post("/api/v1/domains/" + domain + "/verify").then().statusCode(409)
                .body("type", equalTo("/problems/domain-not-verified"));
        admin(tenant).get("/api/v1/domains/" + domain).then().body("state", equalTo("pending"));
        assertThat(types(domain)).containsExactly("DomainAdded");
    }

    @Test
    void onlyTheOwnerMayAskForTheCheck() {
        String domain = newDomain();
        admin(newTenant()).put("/api/v1/domains/" + domain).then().statusCode(201);
        admin(newTenant()).post("/api/v1/domains/" + domain + "/verify").then().statusCode(404);
        Api.user(newTenant()).post("/api/v1/domains/" + domain + "/verify").then().statusCode(403);
    }

    @Test
    void aChildOfAnotherTenantsDomainIsRefused() {
        String victim = newTenant();
        String attacker = newTenant();
        String domain = newDomain();
        Api.registerDomain(victim, domain);
        refused(admin(attacker).put("/api/v1/domains/mail." + domain).then(), "domain-nested", victim);
        refused(admin(attacker).put("/api/v1/domains/a.b." + domain).then(), "domain-nested", victim);
        admin(victim).put("/api/v1/domains/mail." + domain).then().statusCode(201);
    }

    @Test
    void aParentOfAnotherTenantsDomainIsRefused() {
        String victim = newTenant();
        String attacker = newTenant();
        String parent = newDomain();
        Api.registerDomain(victim, "shop.eu." + parent);
        refused(admin(attacker).put("/api/v1/domains/" + parent).then(), "domain-nested", victim);
        refused(admin(attacker).put("/api/v1/domains/eu." + parent).then(), "domain-nested", victim);
        admin(victim).put("/api/v1/domains/" + parent).then().statusCode(201);
    }

    @Test
    void nestedRegistrationsAtTheSameMomentEndWithOneOwner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 10; round++) {
                String parent = newDomain();
                List<Callable<Integer>> registrations = new ArrayList<>();
                for (String name : List.of(parent, "mail." + parent, "a.mail." + parent, "b." + parent)) {
                    String tenant = newTenant();
                    registrations.add(() -> admin(tenant).put("/api/v1/domains/" + name).statusCode());
                }
                List<Integer> answers = new ArrayList<>();
                for (Future<Integer> answer : pool.invokeAll(registrations)) {
                    answers.add(answer.get());
                }
                assertThat(answers).as("round %d", round).filteredOn(status -> status == 201).hasSizeBetween(1, 2);
                assertThat(answers).filteredOn(status -> status != 201).containsOnly(409);
                if (answers.get(0) == 201) {
                    assertThat(answers.subList(1, 4)).containsOnly(409);
                }
                assertThat(answers.get(1) == 201 && answers.get(2) == 201).as("mail.P and a.mail.P both owned").isFalse();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void siblingsUnderOneParentDoNotWaitForEachOtherButTheParentWaitsForThem() throws Exception {
        String parent = newDomain();
        String sibling = "shop1." + parent;
        ExecutorService registrations = Executors.newSingleThreadExecutor();
        try (Connection inFlight = dataSource.getConnection()) {
            // What a sibling's registration holds until its commit: its own name exclusive, its parents shared.
            inFlight.setAutoCommit(false);
            advisoryLock(inFlight, "pg_advisory_xact_lock", "shop0." + parent);
            advisoryLock(inFlight, "pg_advisory_xact_lock_shared", parent);

            Future<Integer> registered = registrations.submit(() ->
                    admin(newTenant()).put("/api/v1/domains/" + sibling).then().extract().statusCode());
            assertThat(registered.get(10, TimeUnit.SECONDS)).as("a sibling's registration meanwhile").isEqualTo(201);

            String parentOwner = newTenant();
            Future<ValidatableResponse> parents = registrations.submit(() ->
                    admin(parentOwner).put("/api/v1/domains/" + parent).then());
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock(inFlight));
            assertThat(parents).isNotDone();
            inFlight.rollback();
            refused(parents.get(30, TimeUnit.SECONDS), "domain-nested", sibling);
        } finally {
            registrations.shutdownNow();
        }
    }

    private static void advisoryLock(Connection connection, String function, String name) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select " + function + "(?, ?)")) {
            lock.setInt(1, DomainClaims.LOCK_SPACE);
            lock.setInt(2, name.hashCode());
            lock.executeQuery().close();
        }
    }

    @Test
    void reservedNamesAreRefused() {
        String tenant = newTenant();
        for (String name : List.of("foo.localhost", "printer.local", "x.internal", "example.com", "www.example.org",
                "foo.invalid")) {
            refused(admin(tenant).put("/api/v1/domains/" + name).then(), "domain-reserved", tenant);
        }
    }

    @Test
    void publicSuffixesAreRefused() {
        String tenant = newTenant();
        for (String name : List.of("co.uk", "github.io", "com.de")) {
            refused(admin(tenant).put("/api/v1/domains/" + name).then(), "domain-reserved", tenant);
        }
    }

    @Test
    void theProvidersOwnNamesAreRefused() {
        String tenant = newTenant();
        for (String name : List.of(DkimEnabled.PROVIDER_NAME, "provider-host.example", "x." + DkimEnabled.PROVIDER_NAME)) {
            refused(admin(tenant).put("/api/v1/domains/" + name).then(), "domain-reserved", tenant);
        }
    }

    @Test
    void mailboxesMayBePreparedOnAPendingDomain() {
        String tenant = newTenant();
        String domain = newDomain();
        admin(tenant).put("/api/v1/domains/" + domain).then().statusCode(201).body("state", equalTo("pending"));
        Api.createMailbox(tenant, "anna", domain, "MAIL_STANDARD");
    }

    /**
     * A squatter registers another's domain and prepares it (a mailbox, an alias on a mailbox at its own
     * proven domain, DKIM keys), and never proves it: the owner gets domain-taken until the claim's
     * lifetime has passed. Then the scheduled expiry ends the claim and everything under it, the
     * owner registers the name and proves it, and gets the addresses the squatter had taken at once.
     * The squatter cannot claim the name again straight away.
     */
    @Test
    void aSquattersPendingClaimExpiresAndTheOwnerCanProveIt() {
        String squatter = newTenant();
        String owner = newTenant();
        String domain = newDomain();
        String squattersOwn = newDomain();
        JsonPath claim = admin(squatter).put("/api/v1/domains/" + domain).then().statusCode(201)
                .body("state", equalTo("pending")).extract().jsonPath();
        Instant addedAt = Instant.parse(claim.getString("addedAt"));
        assertThat(Instant.parse(claim.getString("verification.claimExpiresAt"))).isEqualTo(addedAt.plus(LIFETIME));
        String ownValue = admin(squatter).put("/api/v1/domains/" + squattersOwn).then().statusCode(201)
                .extract().path("verification.record.value");
        RESOLVER.serve("_mailops-verification." + squattersOwn, ownValue);
        admin(squatter).post("/api/v1/domains/" + squattersOwn + "/verify").then().statusCode(200)
                .body("verification.claimExpiresAt", equalTo(null));
        String squattersMailbox = Api.createMailbox(squatter, "postmaster", domain, "MAIL_STANDARD");
        String squattersOther = Api.createMailbox(squatter, "anna", squattersOwn, "MAIL_STANDARD");
        Api.addAlias(squatter, squattersMailbox, "info", domain);
        Api.addAlias(squatter, squattersOther, "sales", domain);
        Api.addAlias(squatter, squattersOther, "team", squattersOwn);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> admin(squatter).get("/api/v1/domains/" + domain + "/dkim")
                .then().statusCode(200).body("selectors", hasSize(2)));
        taken(admin(owner).put("/api/v1/domains/" + domain).then(), squatter);

        clock.advance(LIFETIME.minusMinutes(1));
        commands.expireStaleClaims(1000);
        taken(admin(owner).put("/api/v1/domains/" + domain).then(), squatter);
        clock.advance(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                admin(squatter).get("/api/v1/domains/" + domain).then().statusCode(404));

        assertThat(types(domain)).containsExactly("DomainAdded", "DkimKeyGenerated", "DkimKeyGenerated",
                "DkimKeyRetired", "DkimKeyRetired", "DomainClaimExpired");
        admin(squatter).get("/api/v1/mailboxes/" + squattersMailbox).then().statusCode(404);
        admin(squatter).get("/api/v1/mailboxes/" + squattersOther).then().statusCode(200)
                .body("aliases.address", equalTo(List.of("team@" + squattersOwn)));
        admin(squatter).get("/api/v1/domains/" + squattersOwn).then().body("state", equalTo("verified"));
        admin(squatter).put("/api/v1/domains/" + domain).then().statusCode(409)
                .body("type", equalTo("/problems/domain-claim-expired")).body("field", equalTo("domain"));

        String value = admin(owner).put("/api/v1/domains/" + domain).then().statusCode(201)
                .body("state", equalTo("pending")).extract().path("verification.record.value");
        for (String address : List.of("postmaster@", "info@", "sales@")) {
            admin(owner).get("/api/v1/addresses/" + address + domain).then().statusCode(200)
                    .body("status", equalTo("AVAILABLE"));
        }
        RESOLVER.serve("_mailops-verification." + domain, value);
        admin(owner).post("/api/v1/domains/" + domain + "/verify").then().statusCode(200)
                .body("state", equalTo("verified"));
        String ownersMailbox = Api.createMailbox(owner, "postmaster", domain, "MAIL_STANDARD");
        Api.addAlias(owner, ownersMailbox, "info", domain);
        Api.addAlias(owner, ownersMailbox, "sales", domain);
        admin(squatter).get("/api/v1/domains/" + domain).then().statusCode(404);
    }

    @Test
    void aProvenDomainNeverExpires() {
        String tenant = newTenant();
        String domain = newDomain();
        String value = admin(tenant).put("/api/v1/domains/" + domain).then().statusCode(201)
                .extract().path("verification.record.value");
        RESOLVER.serve("_mailops-verification." + domain, value);
        admin(tenant).post("/api/v1/domains/" + domain + "/verify").then().statusCode(200);
        String mailbox = Api.createMailbox(tenant, "anna", domain, "MAIL_STANDARD");

        clock.advance(LIFETIME.multipliedBy(3));
        commands.expireStaleClaims(1000);
        admin(tenant).get("/api/v1/domains/" + domain).then().statusCode(200).body("state", equalTo("verified"));
        admin(tenant).get("/api/v1/mailboxes/" + mailbox).then().statusCode(200);
        assertThat(types(domain)).doesNotContain("DomainClaimExpired");
        taken(admin(newTenant()).put("/api/v1/domains/" + domain).then(), tenant);
    }

    @Test
    void expiriesOnSeveralInstancesAtOnceEndAClaimOnce() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        admin(tenant).put("/api/v1/domains/" + domain).then().statusCode(201);
        String mailbox = Api.createMailbox(tenant, "anna", domain, "MAIL_STANDARD");
        clock.advance(LIFETIME);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> expiries = new ArrayList<>();
            for (int instance = 0; instance < 4; instance++) {
                expiries.add(() -> commands.expireStaleClaims(1000));
            }
            for (Future<Integer> expiry : pool.invokeAll(expiries)) {
                expiry.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // The scheduled expiry may hold the claim and commit a moment after these calls return.
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(types(domain)).filteredOn("DomainClaimExpired"::equals).hasSize(1));
        assertThat(eventStore.history(StreamId.mailbox(UUID.fromString(mailbox))).stream().map(event -> event.eventType))
                .containsExactly("MailboxCreated", "MailboxDeleted", "AddressReleased");
    }

    /** 409 domain-taken, saying nothing of the tenant that holds the domain. */
    private static void taken(ValidatableResponse answer, String holder) {
        answer.statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/domain-taken"))
                .body(not(containsString(holder)));
    }

    /** 409 naming the field, saying nothing of the tenant that holds the other domain. */
    private static void refused(ValidatableResponse answer, String code, String otherTenant) {
        answer.statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/" + code))
                .body("field", equalTo("domain"))
                .body(not(containsString(otherTenant)));
    }

    private List<String> types(String domain) {
        return eventStore.history(StreamId.mailDomain(domain)).stream().map(event -> event.eventType).toList();
    }

    private static String newDomain() {
        return "own-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }
}
