package dev.mailops.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;

/**
 * Tenants as the tests get them: the bootstrap operator (the test profile's
 * {@code gateway.bootstrap.operator.*}) onboards each tenant with its first admin through
 * {@code POST /api/v1/tenants}, and that admin creates the tenant's other users.
 */
final class Onboarding {

    static final String OPERATOR = "platform-operator";
    static final String OPERATOR_PASSWORD = "Operator-Test-2026";

    private Onboarding() {
    }

    static String login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login").then().statusCode(200)
                .body("tokenType", equalTo("Bearer")).extract().path("accessToken");
    }

    static String operatorToken() {
        return login(OPERATOR, OPERATOR_PASSWORD);
    }

    /** Onboards the tenant with its admin (roles admin and user). */
    static void tenant(String tenant, String adminUsername, String adminDisplayName, String password) {
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + operatorToken())
                .body(Map.of("id", tenant, "displayName", "Tenant " + tenant,
                        "admin", Map.of("username", adminUsername, "displayName", adminDisplayName, "password", password)))
                .post("/api/v1/tenants").then().statusCode(201);
    }

    /** A further user of the tenant, created by its admin. */
    static void user(String adminToken, String username, String displayName, String password, List<String> roles) {
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + adminToken)
                .body(Map.of("username", username, "displayName", displayName, "password", password, "roles", roles))
                .post("/api/v1/users").then().statusCode(201);
    }
}
