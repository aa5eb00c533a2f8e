package dev.mailops.mailbox.api;

import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.alias;
import static dev.mailops.mailbox.Api.createMailbox;
import static dev.mailops.mailbox.Api.mailbox;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;
import static dev.mailops.mailbox.Api.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.Api;
import io.restassured.response.Response;

@QuarkusTest
class MailboxApiTest extends MailboxApiFixture {

    @Test
    void createsAMailboxWithTheFieldsOfTheManual() {
        Map<String, Object> body = mailbox("Anna.Berg", domain, "MAIL_STANDARD");
        body.put("forwardTo", List.of("backoffice@elsewhere.example", "Consultant@Elsewhere.example"));
        body.put("keepCopy", true);
        Response created = admin(tenant).body(body).post("/api/v1/mailboxes");
        created.then().statusCode(201)
                .header("Location", containsString("/api/v1/mailboxes/"))
                .header("X-Request-Id", notNullValue())
                .body("address", equalTo("anna.berg@" + domain))
                .body("localPart", equalTo("anna.berg"))
                .body("domain", equalTo(domain))
                .body("firstName", equalTo("Anna"))
                .body("lastName", equalTo("Berg"))
                .body("systemUserId", equalTo("u-17"))
                .body("forwardTo", contains("backoffice@elsewhere.example", "Consultant@elsewhere.example"))
                .body("keepCopy", equalTo(true))
                .body("rate", equalTo("MAIL_STANDARD"))
                .body("aliasLimit", equalTo(25))
                .body("aliases", empty())
                .body("version", equalTo(1))
                .body("$", not(org.hamcrest.Matchers.hasKey("password")))
                .body("$", not(org.hamcrest.Matchers.hasKey("passwordConfirmation")));
        assertThat(created.asString()).doesNotContain(Api.PASSWORD).doesNotContain("argon2");
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/api/v1/mailboxes/" + id);

        admin(tenant).get("/api/v1/mailboxes/" + id).then().statusCode(200).body("address", equalTo("anna.berg@" + domain));
        String hash = storedHash(id);
        assertThat(hash).startsWith("{ARGON2ID}$argon2id$");
        assertThat(hasher.verify(Api.PASSWORD, hash)).isTrue();
        String payload = database.first(
                "select string_agg(payload::text, ' ') from event_store where stream_id = ?", row -> row.getString(1), id).orElse(null);
        assertThat(payload).doesNotContain(Api.PASSWORD).doesNotContain("argon2").doesNotContain("password");
    }

    @Test
    void reportsEveryBadFieldAtOnceAndWritesNothing() {
        Map<String, Object> body = mailbox(".bad..local", "unknown-" + domain, "GOLD");
        body.put("firstName", " ");
        body.put("lastName", "x".repeat(101));
        body.put("systemUserId", "");
        body.put("forwardTo", List.of("not-an-address", "ok@elsewhere.example", "ok@elsewhere.example"));
        body.put("password", "short");
        body.put("passwordConfirmation", "different");
        long eventsBefore = eventCount();
        admin(tenant).body(body).post("/api/v1/mailboxes")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("title", notNullValue())
                .body("instance", equalTo("/api/v1/mailboxes"))
                .body("errors.field", containsInAnyOrder("localPart", "domain", "firstName", "lastName", "systemUserId",
                        "forwardTo[0]", "forwardTo[2]", "password", "passwordConfirmation", "rate"));
        assertThat(eventCount()).isEqualTo(eventsBefore);
        admin(tenant).get("/api/v1/mailboxes").then().body("totalItems", equalTo(0));
    }

    @Test
    void keepCopyNeedsAForwardingAddress() {
        Map<String, Object> body = mailbox("anna", domain, "MAIL_LIGHT");
        body.put("keepCopy", true);
        admin(tenant).body(body).post("/api/v1/mailboxes")
                .then().statusCode(400).body("errors.field", contains("keepCopy"));
    }

    @Test
    void aMailboxCannotForwardToItself() {
        Map<String, Object> body = mailbox("anna", domain, "MAIL_LIGHT");
        body.put("forwardTo", List.of("ANNA@" + domain));
        admin(tenant).body(body).post("/api/v1/mailboxes")
                .then().statusCode(400).body("errors[0].field", equalTo("forwardTo[0]"));
    }

    @Test
    void passwordConfirmationMustMatch() {
        Map<String, Object> body = mailbox("anna", domain, "MAIL_LIGHT");
        body.put("passwordConfirmation", "Correct-Horse-8");
        admin(tenant).body(body).post("/api/v1/mailboxes")
                .then().statusCode(400)
                .body("errors.field", contains("passwordConfirmation"))
                .body("errors[0].message", equalTo("does not match the password"))
                .body("title", equalTo("The request has invalid fields"))
                .body("detail", equalTo("passwordConfirmation: does not match the password"))
                .body(not(containsString(Api.PASSWORD)));
    }

    @Test
    void refusesADomainOfAnotherTenant() {
        String other = newTenant();
        admin(other).body(mailbox("anna", domain, "MAIL_LIGHT")).post("/api/v1/mailboxes")
                .then().statusCode(400).body("errors.field", contains("domain"));
    }

    @Test
    void refusesMalformedJsonUnknownFieldsAndWrongTypes() {
        admin(tenant).body("{\"localPart\": ").post("/api/v1/mailboxes")
                .then().statusCode(400).contentType("application/problem+json");
        Map<String, Object> unknown = mailbox("anna", domain, "MAIL_LIGHT");
        unknown.put("quota", 5);
        admin(tenant).body(unknown).post("/api/v1/mailboxes")
                .then().statusCode(400).body("errors.field", contains("quota"));
        Map<String, Object> wrongType = mailbox("anna", domain, "MAIL_LIGHT");
        wrongType.put("forwardTo", Map.of("a", 1));
        admin(tenant).body(wrongType).post("/api/v1/mailboxes")
                .then().statusCode(400).body("errors.field", contains("forwardTo"));
        admin(tenant).post("/api/v1/mailboxes").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anAddressIsTakenOnceAcrossMailboxesAndAliases() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
        admin(tenant).body(mailbox("ANNA", domain, "MAIL_LIGHT")).post("/api/v1/mailboxes")
                .then().statusCode(409).body("type", equalTo("/problems/address-taken"));
        admin(tenant).body(alias("sales", domain)).post("/api/v1/mailboxes/" + id + "/aliases").then().statusCode(201);
        admin(tenant).body(mailbox("sales", domain, "MAIL_LIGHT")).post("/api/v1/mailboxes")
                .then().statusCode(409).body("type", equalTo("/problems/address-taken"));
        String second = createMailbox(tenant, "bob", domain, "MAIL_LIGHT");
        admin(tenant).body(alias("sales", domain)).post("/api/v1/mailboxes/" + second + "/aliases")
                .then().statusCode(409).body("type", equalTo("/problems/address-taken"));
        admin(tenant).get("/api/v1/addresses/sales@" + domain).then().body("status", equalTo("TAKEN"));
        admin(tenant).get("/api/v1/addresses/free@" + domain).then().body("status", equalTo("AVAILABLE"));
        admin(tenant).get("/api/v1/addresses/nonsense").then().statusCode(400);
    }

    @Test
    void aliasesUpToTheLimitOfTheRate() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT"); // 3 aliases
        for (String local : List.of("a", "b", "c")) {
            admin(tenant).body(alias(local, domain)).post("/api/v1/mailboxes/" + id + "/aliases")
                    .then().statusCode(201)
                    .header("Location", endsWith("/api/v1/mailboxes/" + id));
        }
        admin(tenant).body(alias("d", domain)).post("/api/v1/mailboxes/" + id + "/aliases")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/alias-limit-reached"))
                .body("title", equalTo("Alias limit of the rate reached"))
                .body("detail", equalTo("The rate MAIL_LIGHT allows 3 aliases per mailbox and this mailbox has 3; "
                        + "choose a rate with a higher limit or remove an alias first"))
                .body("aliasLimit", equalTo(3))
                .body("aliasCount", equalTo(3))
                .body("rate", equalTo("MAIL_LIGHT"));
        admin(tenant).get("/api/v1/mailboxes/" + id).then()
                .body("aliases.address", contains("a@" + domain, "b@" + domain, "c@" + domain))
                .body("version", equalTo(4));
        admin(tenant).get("/api/v1/addresses/d@" + domain).then().body("status", equalTo("AVAILABLE"));

        admin(tenant).delete("/api/v1/mailboxes/" + id + "/aliases/b@" + domain).then().statusCode(204);
        admin(tenant).get("/api/v1/addresses/b@" + domain).then()
                .body("status", equalTo("BLOCKED")).body("blockedUntil", notNullValue());
        admin(tenant).body(alias("d", domain)).post("/api/v1/mailboxes/" + id + "/aliases").then().statusCode(201);
        admin(tenant).delete("/api/v1/mailboxes/" + id + "/aliases/zzz@" + domain).then().statusCode(404)
                .body("type", equalTo("/problems/not-found"))
                .body("title", equalTo("Not found"))
                .body("detail", equalTo("zzz@" + domain + " is not an alias of mailbox " + id));
    }

    @Test
    void refusesLocalPartsAProviderCannotHostAndAddressesOverTheLimits() {
        admin(tenant).body(mailbox("o'brien", domain, "MAIL_LIGHT")).post("/api/v1/mailboxes")
                .then().statusCode(400).body("errors.field", contains("localPart"));
        admin(tenant).body(mailbox("a".repeat(65), domain, "MAIL_LIGHT")).post("/api/v1/mailboxes")
                .then().statusCode(400).body("errors[0].message", containsString("64 octets"));
        String longDomain = "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(63) + ".de";
        registerDomain(tenant, longDomain);
        admin(tenant).body(mailbox("a".repeat(64), longDomain, "MAIL_LIGHT")).post("/api/v1/mailboxes")
                .then().statusCode(400).body("errors[0].message", containsString("254"));
    }

    @Test
    void unknownMailboxesAndMissingBodiesAreClearErrors() {
        String unknown = java.util.UUID.randomUUID().toString();
        admin(tenant).body(alias("x", domain)).post("/api/v1/mailboxes/" + unknown + "/aliases").then().statusCode(404);
        admin(tenant).delete("/api/v1/mailboxes/" + unknown + "/aliases/x@" + domain).then().statusCode(404);
        admin(tenant).get("/api/v1/mailboxes/" + unknown + "/history").then().statusCode(404);
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
        admin(tenant).post("/api/v1/mailboxes/" + id + "/aliases").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", contains("body"));
        admin(tenant).put("/api/v1/basic-fee").then().statusCode(400).body("errors.field", contains("body"));
        admin(tenant).body("{\"plan\": 7}").put("/api/v1/basic-fee").then().statusCode(400);
        user(tenant).delete("/api/v1/mailboxes/" + id + "/aliases/x@" + domain).then().statusCode(403);
        admin(tenant).queryParam("q", "a\u0000b").get("/api/v1/mailboxes").then().statusCode(400)
                .body("errors.field", contains("q"));
    }

    @Test
    void aBlockedAddressCannotBecomeAnAliasEither() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_STANDARD");
        Api.addAlias(tenant, id, "sales", domain);
        admin(tenant).delete("/api/v1/mailboxes/" + id + "/aliases/sales@" + domain).then().statusCode(204);
        String other = createMailbox(tenant, "bob", domain, "MAIL_STANDARD");
        admin(tenant).body(alias("sales", domain)).post("/api/v1/mailboxes/" + other + "/aliases")
                .then().statusCode(409).body("type", equalTo("/problems/address-blocked"))
                .body("availableAt", notNullValue());
        admin(tenant).get("/api/v1/addresses/sales@" + domain).then().body("status", equalTo("BLOCKED"));
    }

    @Test
    void anAliasMustBeAtOneOfTheTenantsDomains() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
        admin(tenant).body(alias("x", "elsewhere.example")).post("/api/v1/mailboxes/" + id + "/aliases")
                .then().statusCode(400).body("errors.field", contains("domain"));
        admin(tenant).body(alias("a b", domain)).post("/api/v1/mailboxes/" + id + "/aliases")
                .then().statusCode(400).body("errors.field", contains("localPart"));
    }

    @Test
    void deletingAMailboxDeletesItsAliasesAndBlocksAllItsAddresses() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_STANDARD");
        admin(tenant).body(alias("sales", domain)).post("/api/v1/mailboxes/" + id + "/aliases").then().statusCode(201);
        admin(tenant).delete("/api/v1/mailboxes/" + id).then().statusCode(204);
        admin(tenant).get("/api/v1/mailboxes/" + id).then().statusCode(404).contentType("application/problem+json");
        admin(tenant).delete("/api/v1/mailboxes/" + id).then().statusCode(404);
        for (String local : List.of("anna", "sales")) {
            admin(tenant).get("/api/v1/addresses/" + local + "@" + domain).then().body("status", equalTo("BLOCKED"));
            admin(tenant).body(mailbox(local, domain, "MAIL_LIGHT")).post("/api/v1/mailboxes")
                    .then().statusCode(409)
                    .body("type", equalTo("/problems/address-blocked"))
                    .body("availableAt", notNullValue())
                    .body("detail", containsString("can be used again from"));
        }
        admin(tenant).get("/api/v1/mailboxes/" + id + "/history").then().statusCode(200)
                .body("type", contains("MailboxCreated", "AliasAdded", "MailboxDeleted"))
                .body("version", contains(1, 2, 3))
                .body("[2].data.aliases", contains("sales@" + domain))
                .body("[2].actor", equalTo("admin-1"));
        assertThat(database.count("select count(*) from mailbox_credential where mailbox_id = cast(? as uuid)", id))
                .isZero();
    }

    @Test
    void listsPagesFiltersAndSearches() {
        String second = newDomain();
        registerDomain(tenant, second);
        for (String local : List.of("carla", "anna", "bert")) {
            createMailbox(tenant, local, domain, "MAIL_LIGHT");
        }
        String dora = createMailbox(tenant, "dora", second, "MAIL_LIGHT");
        admin(tenant).body(alias("invoices", second)).post("/api/v1/mailboxes/" + dora + "/aliases").then().statusCode(201);

        admin(tenant).queryParam("size", 2).get("/api/v1/mailboxes").then().statusCode(200)
                .body("items.localPart", contains("anna", "bert"))
                .body("totalItems", equalTo(4)).body("totalPages", equalTo(2));
        admin(tenant).queryParam("size", 2).queryParam("page", 1).get("/api/v1/mailboxes").then()
                .body("items.localPart", contains("carla", "dora"));
        user(tenant).queryParam("domain", second).get("/api/v1/mailboxes").then()
                .body("items.localPart", contains("dora"));
        admin(tenant).queryParam("q", "INVOICES").get("/api/v1/mailboxes").then()
                .body("items.localPart", contains("dora"));
        admin(tenant).queryParam("q", "%").get("/api/v1/mailboxes").then().body("totalItems", equalTo(0));
        admin(tenant).queryParam("size", 101).get("/api/v1/mailboxes").then().statusCode(400)
                .body("errors.field", contains("size"));
        admin(tenant).queryParam("page", "x").get("/api/v1/mailboxes").then().statusCode(400);
    }

    @Test
    void oneTenantNeverSeesOrTouchesAnothersMailboxes() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
        String other = newTenant();
        admin(other).get("/api/v1/mailboxes/" + id).then().statusCode(404);
        admin(other).get("/api/v1/mailboxes/" + id + "/history").then().statusCode(404);
        admin(other).delete("/api/v1/mailboxes/" + id).then().statusCode(404);
        String otherDomain = newDomain();
        registerDomain(other, otherDomain);
        admin(other).body(alias("x", otherDomain)).post("/api/v1/mailboxes/" + id + "/aliases").then().statusCode(404);
        admin(tenant).body(alias("sales", domain)).post("/api/v1/mailboxes/" + id + "/aliases").then().statusCode(201);
        admin(other).delete("/api/v1/mailboxes/" + id + "/aliases/sales@" + domain).then().statusCode(404);
        admin(other).get("/api/v1/addresses/anna@" + domain).then().statusCode(404);
        admin(other).get("/api/v1/mailboxes").then().body("totalItems", equalTo(0));
        admin(tenant).get("/api/v1/mailboxes/" + id).then().statusCode(200);
    }

    @Test
    void changesNeedTheAdminRole() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
        user(tenant).body(mailbox("bob", domain, "MAIL_LIGHT")).post("/api/v1/mailboxes").then().statusCode(403)
                .body("type", equalTo("/problems/forbidden"));
        user(tenant).body(alias("x", domain)).post("/api/v1/mailboxes/" + id + "/aliases").then().statusCode(403);
        user(tenant).delete("/api/v1/mailboxes/" + id).then().statusCode(403);
        user(tenant).get("/api/v1/mailboxes/" + id).then().statusCode(200);
        admin(tenant).get("/api/v1/mailboxes/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void echoesTheRequestIdAndStoresItWithTheEvents() {
        String id = admin(tenant).header("X-Request-Id", "req-42").body(mailbox("anna", domain, "MAIL_LIGHT"))
                .post("/api/v1/mailboxes")
                .then().statusCode(201).header("X-Request-Id", "req-42")
                .extract().path("id");
        admin(tenant).get("/api/v1/mailboxes/" + id + "/history").then()
                .body("correlationId", hasItem("req-42"))
                .body("[0].data.mailboxId", equalTo(id));
    }

    @Test
    void basicFeeDefaultsToTheFreeResellerPlanAndChanges() {
        admin(tenant).get("/api/v1/basic-fee").then().statusCode(200)
                .body("plan", equalTo("BUSINESS_RESELLER"))
                .body("monthlyNetPrice", equalTo(0.0f))
                .body("providerSupport", equalTo(false));
        admin(tenant).body(Map.of("plan", "BUSINESS_SUPPORT")).put("/api/v1/basic-fee").then().statusCode(200)
                .body("plan", equalTo("BUSINESS_SUPPORT")).body("providerSupport", equalTo(true))
                .body("changedAt", notNullValue());
        long events = eventCount();
        admin(tenant).body(Map.of("plan", "BUSINESS_SUPPORT")).put("/api/v1/basic-fee").then().statusCode(200);
        assertThat(eventCount()).isEqualTo(events);
        admin(tenant).body(Map.of("plan", "PLATINUM")).put("/api/v1/basic-fee").then().statusCode(400)
                .body("errors.field", contains("plan"))
                .body("errors[0].message", containsString("BUSINESS_RESELLER"));
        user(tenant).body(Map.of("plan", "BUSINESS_PREMIUM")).put("/api/v1/basic-fee").then().statusCode(403);
        admin(newTenant()).get("/api/v1/basic-fee").then().body("plan", equalTo("BUSINESS_RESELLER"));
        admin(tenant).get("/api/v1/basic-fee").then().body("plan", equalTo("BUSINESS_SUPPORT"));
    }
}
