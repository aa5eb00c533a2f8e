package dev.mailops.mailbox.api;

import static dev.mailops.mailbox.Api.addAlias;
import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.createMailbox;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.mailops.mailbox.Api;

/** PUT /api/v1/mailboxes/{id}/password and /rate: answers, refusals and what they leave behind. */
@QuarkusTest
class PasswordAndRateApiTest extends MailboxApiFixture {

    static final String NEW_PASSWORD = "Battery-Staple-7";

    @Test
    void aNewPasswordReplacesTheHashAndIsRecordedWithoutIt() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
        String before = storedHash(id);

        Response changed = admin(tenant).body(password(NEW_PASSWORD, NEW_PASSWORD))
                .put("/api/v1/mailboxes/" + id + "/password");

        changed.then().statusCode(204);
        assertThat(changed.asString()).isEmpty();
        String after = storedHash(id);
        assertThat(after).startsWith("{ARGON2ID}$argon2id$v=19$").isNotEqualTo(before);
        assertThat(hasher.verify(NEW_PASSWORD, after)).isTrue();
        assertThat(hasher.verify(Api.PASSWORD, after)).as("the old password").isFalse();
        Response history = admin(tenant).get("/api/v1/mailboxes/" + id + "/history");
        history.then().statusCode(200)
                .body("type", contains("MailboxCreated", "PasswordChanged"))
                .body("[1].version", equalTo(2))
                .body("[1].actor", equalTo("admin-1"))
                .body("[1].occurredAt", notNullValue())
                .body("[1].data.mailboxId", equalTo(id))
                .body("[1].data.address", equalTo("anna@" + domain));
        assertThat(history.asString()).doesNotContain(NEW_PASSWORD).doesNotContain("argon2")
                .doesNotContainIgnoringCase("hash");
        admin(tenant).get("/api/v1/mailboxes/" + id).then().body("version", equalTo(2));
    }

    @Test
    void aNewPasswordFollowsThePolicyOfCreationAndNamesTheField() {
        String id = createMailbox(tenant, "annabel", domain, "MAIL_LIGHT");
        String before = storedHash(id);
        long events = eventCount();

        admin(tenant).body(password("short", "other")).put("/api/v1/mailboxes/" + id + "/password")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("errors.field", contains("password", "passwordConfirmation"));
        admin(tenant).body(password("My-Annabel-2026", "My-Annabel-2026")).put("/api/v1/mailboxes/" + id + "/password")
                .then().statusCode(400)
                .body("errors.field", contains("password"))
                .body("errors[0].message", equalTo("must not contain the email address"))
                .body(org.hamcrest.Matchers.not(containsString("My-Annabel-2026")));
        admin(tenant).body(password(NEW_PASSWORD, "Battery-Staple-8")).put("/api/v1/mailboxes/" + id + "/password")
                .then().statusCode(400)
                .body("errors.field", contains("passwordConfirmation"))
                .body("errors[0].message", equalTo("does not match the password"));
        admin(tenant).put("/api/v1/mailboxes/" + id + "/password").then().statusCode(400)
                .body("errors.field", contains("body"));

        assertThat(storedHash(id)).isEqualTo(before);
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void aNewRateAnswersWithTheMailboxAndIsRecorded() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");

        admin(tenant).body(Map.of("rate", "MAIL_PREMIUM")).put("/api/v1/mailboxes/" + id + "/rate")
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("rate", equalTo("MAIL_PREMIUM"))
                .body("aliasLimit", equalTo(50))
                .body("version", equalTo(2));

        admin(tenant).get("/api/v1/mailboxes/" + id).then().body("rate", equalTo("MAIL_PREMIUM"));
        admin(tenant).get("/api/v1/mailboxes").then().body("items[0].rate", equalTo("MAIL_PREMIUM"));
        admin(tenant).get("/api/v1/mailboxes/" + id + "/history").then()
                .body("type", contains("MailboxCreated", "RateChanged"))
                .body("[1].actor", equalTo("admin-1"))
                .body("[1].occurredAt", notNullValue())
                .body("[1].data.previousRate", equalTo("MAIL_LIGHT"))
                .body("[1].data.rate", equalTo("MAIL_PREMIUM"))
                .body("[1].data.address", equalTo("anna@" + domain));
    }

    @Test
    void theCurrentRateAnswersTheMailboxAndChangesNothing() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_STANDARD");
        long events = eventCount();

        admin(tenant).body(Map.of("rate", "MAIL_STANDARD")).put("/api/v1/mailboxes/" + id + "/rate")
                .then().statusCode(200)
                .body("rate", equalTo("MAIL_STANDARD"))
                .body("version", equalTo(1));

        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void aRateBelowTheMailboxsAliasesIsAConflictThatNamesTheNumber() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_STANDARD");
        for (String local : List.of("a", "b", "c", "d", "e")) {
            addAlias(tenant, id, local, domain);
        }
        long events = eventCount();

        admin(tenant).body(Map.of("rate", "MAIL_LIGHT")).put("/api/v1/mailboxes/" + id + "/rate")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/alias-limit-reached"))
                .body("detail", equalTo("The mailbox has 5 aliases; the rate MAIL_LIGHT allows 3. "
                        + "Remove aliases first or choose a rate with a higher limit."))
                .body("aliasCount", equalTo(5))
                .body("aliasLimit", equalTo(3))
                .body("rate", equalTo("MAIL_LIGHT"));

        assertThat(eventCount()).isEqualTo(events);
        admin(tenant).get("/api/v1/mailboxes/" + id).then().body("rate", equalTo("MAIL_STANDARD"));
        for (String local : List.of("a", "b")) {
            admin(tenant).delete("/api/v1/mailboxes/" + id + "/aliases/" + local + "@" + domain).then().statusCode(204);
        }
        admin(tenant).body(Map.of("rate", "MAIL_LIGHT")).put("/api/v1/mailboxes/" + id + "/rate")
                .then().statusCode(200).body("rate", equalTo("MAIL_LIGHT")).body("aliasLimit", equalTo(3));
    }

    @Test
    void anUnknownRateIsABadFieldNamedRate() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
        admin(tenant).body(Map.of("rate", "GOLD")).put("/api/v1/mailboxes/" + id + "/rate")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains("rate"))
                .body("errors[0].message", containsString("MAIL_STANDARD"));
        admin(tenant).body("{}").put("/api/v1/mailboxes/" + id + "/rate")
                .then().statusCode(400).body("errors.field", contains("rate"));
        admin(tenant).put("/api/v1/mailboxes/" + id + "/rate").then().statusCode(400)
                .body("errors.field", contains("body"));
    }

    @Test
    void unknownDeletedAndOtherTenantsMailboxesAreNotFound() {
        String deleted = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
        admin(tenant).delete("/api/v1/mailboxes/" + deleted).then().statusCode(204);
        String others = createMailbox(tenant, "bert", domain, "MAIL_LIGHT");
        for (String id : List.of(UUID.randomUUID().toString(), deleted)) {
            admin(tenant).body(password(NEW_PASSWORD, NEW_PASSWORD)).put("/api/v1/mailboxes/" + id + "/password")
                    .then().statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("/problems/not-found"));
            admin(tenant).body(Map.of("rate", "MAIL_PREMIUM")).put("/api/v1/mailboxes/" + id + "/rate")
                    .then().statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("/problems/not-found"));
        }
        String stranger = newTenant();
        admin(stranger).body(password(NEW_PASSWORD, NEW_PASSWORD)).put("/api/v1/mailboxes/" + others + "/password")
                .then().statusCode(404);
        admin(stranger).body(Map.of("rate", "MAIL_PREMIUM")).put("/api/v1/mailboxes/" + others + "/rate")
                .then().statusCode(404);
        admin(tenant).get("/api/v1/mailboxes/" + others).then().body("rate", equalTo("MAIL_LIGHT")).body("version", equalTo(1));
    }

    @Test
    void bothChangesNeedTheAdminRole() {
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
        user(tenant).body(password(NEW_PASSWORD, NEW_PASSWORD)).put("/api/v1/mailboxes/" + id + "/password")
                .then().statusCode(403).body("type", equalTo("/problems/forbidden"));
        user(tenant).body(Map.of("rate", "MAIL_PREMIUM")).put("/api/v1/mailboxes/" + id + "/rate")
                .then().statusCode(403);
        admin(tenant).get("/api/v1/mailboxes/" + id).then().body("version", equalTo(1));
    }

    static Map<String, String> password(String password, String confirmation) {
        return Map.of("password", password, "passwordConfirmation", confirmation);
    }
}
