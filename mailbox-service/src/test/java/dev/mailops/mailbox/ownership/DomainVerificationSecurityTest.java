package dev.mailops.mailbox.ownership;

import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

import dev.mailops.mailbox.Api;
import dev.mailops.mailbox.dkim.DkimEnabled;
import dev.mailops.mailbox.dkim.TestDnsServer;
import dev.mailops.mailbox.store.EventStore;
import dev.mailops.mailbox.store.StreamId;

/**
 * The doors around a tenant's domains, under the dns-txt policy with a real DNS server the test
 * starts as the resolver (the first server of {@link DkimEnabled}): a domain is pending until its
 * TXT record is found, a wrong token proves nothing, a domain nested in another tenant's (either
 * way) is refused, and so are reserved names, public suffixes and the provider's own names.
 */
@QuarkusTest
@TestProfile(DkimEnabled.class)
class DomainVerificationSecurityTest {

    static final TestDnsServer RESOLVER = DkimEnabled.servers().get(0);

    @Inject
    EventStore eventStore;

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
