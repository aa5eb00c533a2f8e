package dev.mailops.kit.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With {@code mailops.gateway-token} set, as in every deployment, the identity headers count only with the token. */
@QuarkusTest
@TestProfile(GatewayTokenTest.WithGatewayToken.class)
class GatewayTokenTest {

    static final String TOKEN = "the-gateway-token";

    public static class WithGatewayToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailops.gateway-token", TOKEN);
        }
    }

    @Test
    void identityHeadersWithTheTokenAreTheCaller() {
        given().header("X-Gateway-Token", TOKEN).header("X-Tenant-Id", "acme").header("X-User-Id", "anna")
                .get("/probe/caller").then().statusCode(200)
                .body("tenant", equalTo("acme")).body("user", equalTo("anna"));
    }

    @Test
    void identityHeadersWithoutTheTokenAreIgnored() {
        given().header("X-Tenant-Id", "acme").header("X-User-Roles", "admin").get("/probe/caller").then()
                .statusCode(401).contentType(Problems.MEDIA_TYPE).body("type", equalTo("/problems/unauthenticated"));
        given().header("X-Tenant-Id", "acme").header("X-User-Roles", "admin").put("/probe/admin-only").then()
                .statusCode(401);
    }

    @Test
    void identityHeadersWithAnotherTokenAreIgnored() {
        given().header("X-Gateway-Token", TOKEN + "x").header("X-Tenant-Id", "acme").get("/probe/caller").then()
                .statusCode(401);
        given().header("X-Gateway-Token", TOKEN.substring(1)).header("X-Tenant-Id", "acme").get("/probe/caller")
                .then().statusCode(401);
        given().header("X-Gateway-Token", "").header("X-Tenant-Id", "acme").get("/probe/caller").then()
                .statusCode(401);
    }

    @Test
    void theTokenAloneIsNoIdentity() {
        given().header("X-Gateway-Token", TOKEN).get("/probe/caller").then().statusCode(401);
    }

    @Test
    void theRolesStillDecideWithTheToken() {
        given().header("X-Gateway-Token", TOKEN).header("X-Tenant-Id", "acme").header("X-User-Roles", "user")
                .put("/probe/admin-only").then().statusCode(403);
        given().header("X-Gateway-Token", TOKEN).header("X-Tenant-Id", "acme").header("X-User-Roles", "admin")
                .put("/probe/admin-only").then().statusCode(200);
    }
}
