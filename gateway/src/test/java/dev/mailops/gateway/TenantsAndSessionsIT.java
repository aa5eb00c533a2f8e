package dev.mailops.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * Tenants onboarded by the operator, users and tenants disabled, passwords changed, sessions as
 * rotating refresh tokens, paginated lists, and the live feed ending with its token: through the real
 * gateway and its database, with the same services as {@link GatewayIT}.
 */
@QuarkusTest
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "gateway_test"))
@QuarkusTestResource(RunningServices.class)
class TenantsAndSessionsIT {

    static final String PASSWORD = GatewayIT.PASSWORD;

    @TestHTTPResource("/api/v1/events")
    URL events;

    static RequestSpecification bearer(String token) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    static JsonPath loginAnswer(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login").then().statusCode(200).extract().jsonPath();
    }

    static io.restassured.response.Response refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken)).post("/api/v1/auth/refresh");
    }

    static String newTenantId() {
        return "ts-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anOperatorOnboardsTenantsAndNobodyElseMay() {
        String tenant = newTenantId();
        String operator = Onboarding.operatorToken();
        bearer(operator).body(Map.of("id", tenant, "displayName", "Shop " + tenant,
                "admin", Map.of("username", tenant + "-admin", "displayName", "Ada", "password", PASSWORD)))
                .post("/api/v1/tenants").then().statusCode(201).header("Location", endsWith("/api/v1/tenants/" + tenant))
                .body("id", equalTo(tenant)).body("enabled", equalTo(true));
        JsonPath admin = loginAnswer(tenant + "-admin", PASSWORD);
        assertThat(admin.getString("tenant")).isEqualTo(tenant);
        assertThat(admin.getList("roles", String.class)).containsExactly("admin", "user");
        bearer(operator).get("/api/v1/tenants/" + tenant).then().statusCode(200).body("displayName", equalTo("Shop " + tenant));
        bearer(operator).queryParam("size", 100).get("/api/v1/tenants").then().statusCode(200)
                .body("totalItems", notNullValue()).body("size", equalTo(100));
        // the same id again, a bad id, a first admin breaking the password policy
        bearer(operator).body(Map.of("id", tenant, "displayName", "Again",
                "admin", Map.of("username", tenant + "-other", "displayName", "O", "password", PASSWORD)))
                .post("/api/v1/tenants").then().statusCode(409).body("type", equalTo("/problems/tenant-taken"));
        bearer(operator).body(Map.of("id", "Bad Id!", "displayName", "X",
                "admin", Map.of("username", "x-" + tenant, "displayName", "X", "password", "short")))
                .post("/api/v1/tenants").then().statusCode(400)
                .body("errors.field", hasItem("id")).body("errors.field", hasItem("admin.password"));
        // a tenant's admin is no operator; an operator reaches no tenant's data
        bearer(admin.getString("accessToken")).body(Map.of("id", newTenantId(), "displayName", "X",
                "admin", Map.of("username", "y-" + tenant, "displayName", "Y", "password", PASSWORD)))
                .post("/api/v1/tenants").then().statusCode(403);
        bearer(admin.getString("accessToken")).get("/api/v1/tenants").then().statusCode(403);
        bearer(operator).get("/api/v1/mailboxes").then().statusCode(403).contentType("application/problem+json");
        bearer(operator).get("/api/v1/users").then().statusCode(403);
        given().get("/api/v1/tenants").then().statusCode(401);
    }

    @Test
    void aDisabledTenantsUsersCannotLogInAndTheirSessionsEnd() {
        String tenant = newTenantId();
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        JsonPath session = loginAnswer(tenant + "-admin", PASSWORD);
        String operator = Onboarding.operatorToken();
        bearer(operator).body(Map.of("enabled", false)).put("/api/v1/tenants/" + tenant + "/enabled").then()
                .statusCode(200).body("enabled", equalTo(false)).body("disabledAt", notNullValue());
        given().contentType(ContentType.JSON).body(Map.of("username", tenant + "-admin", "password", PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(403).body("type", equalTo("/problems/account-disabled"));
        refresh(session.getString("refreshToken")).then().statusCode(401).body("type", equalTo("/problems/session-ended"));
        bearer(operator).body(Map.of("enabled", true)).put("/api/v1/tenants/" + tenant + "/enabled").then().statusCode(200);
        loginAnswer(tenant + "-admin", PASSWORD);
        bearer(operator).body(Map.of("enabled", false)).put("/api/v1/tenants/no-such-" + tenant + "/enabled").then()
                .statusCode(404);
    }

    @Test
    void aUserIsDisabledByItsTenantsAdminOrAnOperatorAndItsSessionsEnd() {
        String tenant = newTenantId();
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        String admin = Onboarding.login(tenant + "-admin", PASSWORD);
        Onboarding.user(admin, tenant + "-user", "User", PASSWORD, List.of("user"));
        JsonPath user = loginAnswer(tenant + "-user", PASSWORD);
        String other = newTenantId();
        Onboarding.tenant(other, other + "-admin", "Other", PASSWORD);
        bearer(Onboarding.login(other + "-admin", PASSWORD)).body(Map.of("enabled", false))
                .put("/api/v1/users/" + tenant + "-user/enabled").then().statusCode(404);
        bearer(user.getString("accessToken")).body(Map.of("enabled", false))
                .put("/api/v1/users/" + tenant + "-admin/enabled").then().statusCode(403);
        bearer(admin).body(Map.of("enabled", false)).put("/api/v1/users/" + tenant + "-admin/enabled").then()
                .statusCode(409).body("type", equalTo("/problems/cannot-disable-yourself"));

        bearer(admin).body(Map.of("enabled", false)).put("/api/v1/users/" + tenant + "-user/enabled").then()
                .statusCode(200).body("enabled", equalTo(false));
        refresh(user.getString("refreshToken")).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", tenant + "-user", "password", PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(403);
        bearer(admin).get("/api/v1/users").then().statusCode(200).body("items.find { it.username == '" + tenant
                + "-user' }.enabled", equalTo(false));

        bearer(Onboarding.operatorToken()).body(Map.of("enabled", true)).put("/api/v1/users/" + tenant + "-user/enabled")
                .then().statusCode(200).body("enabled", equalTo(true));
        loginAnswer(tenant + "-user", PASSWORD);
    }

    @Test
    void ofConcurrentCreationsOfOneTenantOrUsernameOneWinsAndTheOthersAreTold() {
        String tenant = newTenantId();
        String operator = Onboarding.operatorToken();
        List<Integer> onboardings = concurrently(6, i -> bearer(operator).body(Map.of("id", tenant, "displayName",
                "Shop " + i, "admin", Map.of("username", tenant + "-admin-" + i, "displayName", "A", "password", PASSWORD)))
                .post("/api/v1/tenants").statusCode());
        assertThat(onboardings).containsOnly(201, 409).filteredOn(status -> status == 201).hasSize(1);
        int winner = onboardings.indexOf(201);
        bearer(operator).get("/api/v1/tenants/" + tenant).then().statusCode(200).body("displayName", equalTo("Shop " + winner));

        String other = newTenantId();
        Onboarding.tenant(other, other + "-admin", "Admin", PASSWORD);
        String admin = Onboarding.login(other + "-admin", PASSWORD);
        // the losers' admins went with their tenants: their usernames are free
        for (int i = 0; i < onboardings.size(); i++) {
            bearer(admin).body(Map.of("username", tenant + "-admin-" + i, "displayName", "A", "password", PASSWORD))
                    .post("/api/v1/users").then().statusCode(i == winner ? 409 : 201);
        }
        List<Integer> creations = concurrently(6, i -> bearer(admin).body(Map.of("username", other + "-clerk",
                "displayName", "Clerk " + i, "password", PASSWORD)).post("/api/v1/users").statusCode());
        assertThat(creations).containsOnly(201, 409).filteredOn(status -> status == 201).hasSize(1);
        bearer(admin).get("/api/v1/users").then().statusCode(200).body("totalItems", equalTo(2 + onboardings.size() - 1));
    }

    private static List<Integer> concurrently(int count, java.util.function.IntFunction<Integer> request) {
        List<CompletableFuture<Integer>> answers = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> request.apply(i))).toList();
        return answers.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void refreshTokensRotateAndAReusedOneEndsTheSession() {
        String tenant = newTenantId();
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        JsonPath login = loginAnswer(tenant + "-admin", PASSWORD);
        assertThat(login.getLong("expiresIn")).isEqualTo(300);
        assertThat(login.getLong("refreshExpiresIn")).isPositive();
        String first = login.getString("refreshToken");
        JsonPath refreshed = refresh(first).then().statusCode(200).extract().jsonPath();
        String second = refreshed.getString("refreshToken");
        assertThat(second).isNotEqualTo(first);
        assertThat(refreshed.getString("tenant")).isEqualTo(tenant);
        bearer(refreshed.getString("accessToken")).get("/api/v1/users").then().statusCode(200);
        // the first token presented again: someone copied it, so the whole session ends
        refresh(first).then().statusCode(401);
        refresh(second).then().statusCode(401);
        refresh("not-a-token").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/auth/refresh").then().statusCode(400);
    }

    @Test
    void logoutEndsTheSession() {
        String tenant = newTenantId();
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        String refreshToken = loginAnswer(tenant + "-admin", PASSWORD).getString("refreshToken");
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken)).post("/api/v1/auth/logout")
                .then().statusCode(204);
        refresh(refreshToken).then().statusCode(401);
    }

    @Test
    void aUserChangesItsOwnPasswordAndItsSessionsEnd() {
        String tenant = newTenantId();
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        String admin = Onboarding.login(tenant + "-admin", PASSWORD);
        Onboarding.user(admin, tenant + "-user", "User", PASSWORD, List.of("user"));
        JsonPath first = loginAnswer(tenant + "-user", PASSWORD);
        JsonPath second = loginAnswer(tenant + "-user", PASSWORD);
        String token = first.getString("accessToken");
        bearer(token).body(Map.of("currentPassword", "Wrong-Horse-9", "newPassword", "Battery-Staple-10"))
                .put("/api/v1/users/me/password").then().statusCode(400).body("errors.field", hasItem("currentPassword"));
        bearer(token).body(Map.of("currentPassword", PASSWORD, "newPassword", "short"))
                .put("/api/v1/users/me/password").then().statusCode(400).body("errors.field", hasItem("newPassword"));
        refresh(first.getString("refreshToken")).then().statusCode(200);

        bearer(token).body(Map.of("currentPassword", PASSWORD, "newPassword", "Battery-Staple-10"))
                .put("/api/v1/users/me/password").then().statusCode(204);
        refresh(second.getString("refreshToken")).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", tenant + "-user", "password", PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(401);
        loginAnswer(tenant + "-user", "Battery-Staple-10");
    }

    @Test
    void aStolenAccessTokenGuessesTheCurrentPasswordNoFasterThanALogin() {
        String tenant = newTenantId();
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        String admin = Onboarding.login(tenant + "-admin", PASSWORD);
        Onboarding.user(admin, tenant + "-user", "User", PASSWORD, List.of("user"));
        String token = loginAnswer(tenant + "-user", PASSWORD).getString("accessToken");
        int refused = 0;
        for (int guess = 0; guess < 8; guess++) {
            int status = bearer(token).body(Map.of("currentPassword", "Guess-Number-" + guess, "newPassword",
                    "Battery-Staple-10")).put("/api/v1/users/me/password").then().extract().statusCode();
            assertThat(status).as("guess %d", guess).isIn(400, 429);
            if (status == 429) {
                refused++;
            }
        }
        assertThat(refused).as("guesses refused by the login throttle").isGreaterThanOrEqualTo(3);
        bearer(token).body(Map.of("currentPassword", PASSWORD, "newPassword", "Battery-Staple-10"))
                .put("/api/v1/users/me/password").then().statusCode(429).header("Retry-After", notNullValue());
    }

    @Test
    void usersAndTenantsArePaginatedAndHugeNumbersAreRefusedByName() {
        String tenant = newTenantId();
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        String admin = Onboarding.login(tenant + "-admin", PASSWORD);
        for (String name : List.of("a", "b", "c")) {
            Onboarding.user(admin, tenant + "-" + name, "User " + name, PASSWORD, List.of("user"));
        }
        bearer(admin).queryParam("size", 3).get("/api/v1/users").then().statusCode(200)
                .body("totalItems", equalTo(4)).body("totalPages", equalTo(2)).body("items.size()", equalTo(3))
                .body("items[0].username", equalTo(tenant + "-a"));
        bearer(admin).queryParam("size", 3).queryParam("page", 1).get("/api/v1/users").then().statusCode(200)
                .body("items.username", equalTo(List.of(tenant + "-c")))
                .body("items.username", not(hasItem(tenant + "-a")));
        for (Map<String, String> bad : List.of(Map.of("page", "99999999999999999999"), Map.of("page", "-1"),
                Map.of("page", "2147483648"), Map.of("size", "0"), Map.of("size", "101"), Map.of("size", "x"))) {
            String field = bad.keySet().iterator().next();
            bearer(admin).queryParams(bad).get("/api/v1/users").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem(field));
            bearer(Onboarding.operatorToken()).queryParams(bad).get("/api/v1/tenants").then().statusCode(400)
                    .body("errors.field", hasItem(field));
        }
    }

    @Test
    void theLiveFeedEndsWhenTheTokenThatOpenedItExpires() throws Exception {
        JwtClaims claims = GatewayTokenSecurityIT.adminClaims();
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plusSeconds(3).getEpochSecond()));
        String shortLived = GatewayTokenSecurityIT.rs256(claims, TestKeys.CURRENT.getPrivate(), TestKeys.CURRENT_KID);
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.util.stream.Stream<String>> response = client.send(HttpRequest.newBuilder(events.toURI())
                .header("Authorization", "Bearer " + shortLived).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        CompletableFuture<Long> ended = CompletableFuture.supplyAsync(() -> response.body().count());
        assertThat(ended).isNotDone();
        await().atMost(Duration.ofSeconds(20)).until(ended::isDone);

        // a token past its expiry (inside the verifier's clock skew) opens no stream at all
        JwtClaims expired = GatewayTokenSecurityIT.adminClaims();
        expired.setExpirationTime(NumericDate.fromSeconds(Instant.now().minusSeconds(10).getEpochSecond()));
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(events.toString()))
                .header("Authorization", "Bearer " + GatewayTokenSecurityIT.rs256(expired, TestKeys.CURRENT.getPrivate(),
                        TestKeys.CURRENT_KID)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
    }
}
