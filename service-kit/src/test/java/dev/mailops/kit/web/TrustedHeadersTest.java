package dev.mailops.kit.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A service's own tests without {@code mailops.gateway-token} (the test launch mode only; anywhere else a
 * service without the token trusts no headers and, packaged, does not start) take the caller from the
 * identity headers alone; what it makes of them is the same as behind the gateway.
 */
@QuarkusTest
class TrustedHeadersTest {

    @Test
    void theCallerIsTheTenantAndUserOfTheHeaders() {
        given().header("X-Tenant-Id", "acme").header("X-User-Id", "anna@acme")
                .get("/probe/caller").then().statusCode(200)
                .body("tenant", equalTo("acme")).body("user", equalTo("anna@acme"));
    }

    @Test
    void withoutATenantTheRequestIsUnauthenticated() {
        given().header("X-User-Id", "anna").header("X-User-Roles", "admin")
                .get("/probe/caller").then().statusCode(401).contentType(Problems.MEDIA_TYPE)
                .body("type", equalTo("/problems/unauthenticated")).body("status", equalTo(401));
    }

    @Test
    void aTenantThatIsNoPlainIdentifierIsRefused() {
        given().header("X-Tenant-Id", "acme corp").get("/probe/caller").then().statusCode(401);
        given().header("X-Tenant-Id", "a".repeat(65)).get("/probe/caller").then().statusCode(401);
    }

    @Test
    void aMissingOrMalformedUserIsAnonymous() {
        given().header("X-Tenant-Id", "acme").get("/probe/caller").then().statusCode(200)
                .body("user", equalTo("anonymous"));
        given().header("X-Tenant-Id", "acme").header("X-User-Id", "anna berg").get("/probe/caller").then()
                .statusCode(200).body("user", equalTo("anonymous"));
    }

    @Test
    void changesNeedTheAdminRoleAmongTheCallersRoles() {
        given().header("X-Tenant-Id", "acme").header("X-User-Roles", "user").put("/probe/admin-only").then()
                .statusCode(403).contentType(Problems.MEDIA_TYPE).body("type", equalTo("/problems/forbidden"));
        given().header("X-Tenant-Id", "acme").put("/probe/admin-only").then().statusCode(403);
        given().header("X-Tenant-Id", "acme").header("X-User-Roles", " user , admin ").put("/probe/admin-only").then()
                .statusCode(200).body("changed", equalTo(true));
    }
}
