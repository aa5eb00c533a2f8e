package dev.mailops.kit.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Every error a service gives is RFC 9457 problem+json, with a stable type per kind of problem. */
@QuarkusTest
class ProblemsTest {

    static RequestSpecification acme() {
        return given().header("X-Tenant-Id", "acme").header("X-User-Roles", "admin");
    }

    @Test
    void invalidFieldsAre400WithEveryFieldNamed() {
        acme().get("/probe/invalid").then().statusCode(400).contentType(Problems.MEDIA_TYPE)
                .body("type", equalTo("/problems/validation"))
                .body("title", equalTo("The request has invalid fields"))
                .body("status", equalTo(400))
                .body("detail", equalTo("localPart: must not be empty; rate: is not a known rate"))
                .body("instance", equalTo("/probe/invalid"))
                .body("errors.field", contains("localPart", "rate"))
                .body("errors.message", contains("must not be empty", "is not a known rate"));
    }

    @Test
    void aConflictIs409WithItsOwnTypeAndDetailsAsMembers() {
        acme().get("/probe/conflict").then().statusCode(409).contentType(Problems.MEDIA_TYPE)
                .body("type", equalTo("/problems/address-blocked"))
                .body("title", equalTo("Address blocked"))
                .body("detail", equalTo("anna@shop.example is blocked"))
                .body("blockedUntil", equalTo("2026-01-03T10:00:00Z"));
    }

    @Test
    void somethingNotFoundIs404() {
        acme().get("/probe/missing").then().statusCode(404).contentType(Problems.MEDIA_TYPE)
                .body("type", equalTo("/problems/not-found")).body("detail", equalTo("No mailbox 42"));
    }

    @Test
    void aBodyThatIsNoJsonIs400AndNeverEchoed() {
        acme().contentType(ContentType.JSON).body("{\"name\": \"Secret-Pass-1\",").post("/probe/orders").then()
                .statusCode(400).contentType(Problems.MEDIA_TYPE)
                .body("type", equalTo("/problems/validation"))
                .body("errors.field", contains("body"))
                .body("errors[0].message", startsWith("the body is not valid JSON"))
                .body(not(containsString("Secret-Pass-1")));
    }

    @Test
    void anUnknownFieldIsNamedWithItsPath() {
        acme().contentType(ContentType.JSON).body("{\"name\":\"a\",\"count\":1,\"lines\":[{\"sku\":\"x\",\"colour\":\"red\"}]}")
                .post("/probe/orders").then().statusCode(400).contentType(Problems.MEDIA_TYPE)
                .body("errors.field", contains("lines[0].colour"))
                .body("errors.message", contains("is not a known field"));
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed() {
        acme().contentType(ContentType.JSON).body("{\"name\":\"a\",\"count\":\"many\"}").post("/probe/orders").then()
                .statusCode(400).body("errors.field", contains("count"))
                .body("errors.message", contains("has the wrong type or format"));
    }

    @Test
    void aReadableBodyPasses() {
        acme().contentType(ContentType.JSON).body("{\"name\":\"a\",\"count\":2,\"lines\":[{\"sku\":\"x\"}]}")
                .post("/probe/orders").then().statusCode(200).body("count", equalTo(2));
    }

    @Test
    void anHttpErrorKeepsItsStatusAndReasonAsType() {
        acme().get("/probe/gone").then().statusCode(410).contentType(Problems.MEDIA_TYPE)
                .body("type", equalTo("/problems/gone")).body("title", equalTo("Gone"))
                .body("detail", equalTo("That resource is gone"));
    }

    @Test
    void noFreeDatabaseConnectionIs503WithRetryAfterNot500() {
        acme().post("/probe/no-connection").then().statusCode(503).contentType(Problems.MEDIA_TYPE)
                .header("Retry-After", "1")
                .body("type", equalTo("/problems/overloaded"))
                .body("detail", containsString("nothing was changed"));
    }

    @Test
    void aDatabaseErrorOfTheServiceItselfStays500() {
        acme().post("/probe/bad-query").then().statusCode(500).body("type", equalTo("/problems/internal-error"));
    }

    @Test
    void anUnexpectedFailureIs500WithoutItsInternals() {
        acme().get("/probe/broken").then().statusCode(500).contentType(Problems.MEDIA_TYPE)
                .body("type", equalTo("/problems/internal-error"))
                .body("detail", containsString("X-Request-Id"))
                .body(not(containsString("secret internal detail")));
    }
}
