package dev.mailops.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * Tenants as the tests get them: the bootstrap operator (the test profile's
 * {@code gateway.bootstrap.operator.*}) onboards each tenant with its first admin through
 * {@code POST /api/v1/tenants}, and that admin creates the tenant's other users. In the set that asks for
 * proof ({@link DkimProfile}), a tenant's domain is proven as its owner would prove it. A user is
 * ready when mailbox-service knows it: the gateway publishes it on gateway.users after the commit, and
 * a mailbox for it is refused until mailbox-service consumed that, so both wait until it did.
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
        awaitInMailboxService(adminUsername, true);
    }

    /**
     * Registers the domain (pending where the deployment asks for proof), creates the TXT record it names at
     * the run's proof DNS server ({@link RunningServices#proofDns}) and has it checked: verified afterwards.
     */
    static void provenDomain(String adminToken, String domain) {
        JsonPath added = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + adminToken)
                .put("/api/v1/domains/" + domain).then().statusCode(201).body("state", equalTo("pending"))
                .extract().jsonPath();
        RunningServices.proofDns.serve(added.getString("verification.record.name"),
                added.getString("verification.record.value"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + adminToken)
                .post("/api/v1/domains/" + domain + "/verify").then().statusCode(200)
                .body("state", equalTo("verified")).body("verification.method", equalTo("dns-txt"));
    }

    /** A further user of the tenant, created by its admin. */
    static void user(String adminToken, String username, String displayName, String password, List<String> roles) {
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + adminToken)
                .body(Map.of("username", username, "displayName", displayName, "password", password, "roles", roles))
                .post("/api/v1/users").then().statusCode(201);
        awaitInMailboxService(username, true);
    }

    /** Until mailbox-service knows the user (usernames are unique across tenants) as enabled or disabled. */
    static void awaitInMailboxService(String username, boolean enabled) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection db = TestInfrastructure.settings().connect(RunningServices.mailboxDatabase);
                    PreparedStatement known = db.prepareStatement(
                            "select 1 from known_user where user_id = ? and enabled = ?")) {
                known.setString(1, username);
                known.setBoolean(2, enabled);
                try (ResultSet found = known.executeQuery()) {
                    return found.next();
                }
            } catch (SQLException e) {
                return false; // not migrated yet
            }
        });
    }
}
