package dev.mailops.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.mailops.gateway.limits.Buckets;
import dev.mailops.gateway.proxy.TenantRateLimiter;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * The doors of the edge, each tried and refused: a hostile Host on /openapi, forged X-Forwarded-For
 * against the login throttle and the access log, a lock-out of a user by guessing from elsewhere, the
 * per-client limit, a flood of long usernames, the limits across gateway instances, and the security
 * headers on every kind of answer. Requests "through a proxy" leave from 127.0.0.2, the test profile's
 * trusted proxy, so one test can be many clients (documentation addresses in X-Forwarded-For).
 */
@QuarkusTest
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "gateway_test"))
@QuarkusTestResource(RunningServices.class)
class EdgeSecurityIT {

    static final String PASSWORD = "Correct-Horse-9";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Clock clock;

    /** A request that reaches the gateway through the trusted proxy, for the client {@code client}. */
    static RequestSpecification viaProxy(String client) {
        try {
            return given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.route.local-address", InetAddress.getByName("127.0.0.2"))))
                    .header("X-Forwarded-For", client);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response login(RequestSpecification from, String username, String password) {
        return from.contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login");
    }

    /** A user of a tenant of its own, onboarded by the operator (the tenant's admin, or a user it creates). */
    String newUser(String roles) {
        String tenant = "e-" + UUID.randomUUID().toString().substring(0, 8);
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        if (!"admin".equals(roles)) {
            Onboarding.user(Onboarding.login(tenant + "-admin", PASSWORD), tenant + "-" + roles, "User", PASSWORD,
                    List.of(roles));
        }
        return tenant + "-" + roles;
    }

    @Test
    void aHostileHostHeaderShapesNothingInOpenApi() {
        String configured = ConfigProvider.getConfig().getValue("gateway.openapi.servers", String.class);
        String document = given().header("Host", "evil.example:666").header("X-Forwarded-Host", "evil.example")
                .get("/openapi").then().statusCode(200).body("servers[0].url", equalTo(configured))
                .extract().asString();
        String again = viaProxy("203.0.113.5").header("Host", "evil.example").header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "https").get("/openapi").then().statusCode(200)
                .body("servers.size()", equalTo(1)).body("servers[0].url", equalTo(configured)).extract().asString();
        assertThat(document + again).doesNotContain("evil.example");
    }

    @Test
    void aForgedForwardedForDoesNotEscapeTheLoginThrottle() {
        String user = newUser("user");
        for (int i = 0; i < 5; i++) {
            login(given().header("X-Forwarded-For", "203.0.113." + (i + 1)), user, "wrong-" + i).then().statusCode(401);
        }
        login(given().header("X-Forwarded-For", "203.0.113.77"), user, PASSWORD).then().statusCode(429)
                .header("Retry-After", notNullValue()).contentType("application/problem+json")
                .body("type", equalTo("/problems/too-many-login-attempts"));
    }

    @Test
    void aForgedForwardedForIsNotTheClientInTheAccessLog() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger accessLog = java.util.logging.Logger.getLogger("io.quarkus.http.access-log");
        accessLog.addHandler(capture);
        try {
            String forged = "edge-forged-" + UUID.randomUUID().toString().substring(0, 8);
            String proxied = "edge-proxied-" + UUID.randomUUID().toString().substring(0, 8);
            given().header("X-Forwarded-For", "203.0.113.200").header("X-Request-Id", forged).get("/console/");
            viaProxy("198.51.100.200, 203.0.113.201").header("X-Request-Id", proxied).get("/console/");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(lines).anySatisfy(line -> assertThat(line).contains(forged).contains("client=127.0.0.1")
                        .doesNotContain("203.0.113.200"));
                assertThat(lines).anySatisfy(line -> assertThat(line).contains(proxied).contains("client=203.0.113.201")
                        .doesNotContain("198.51.100.200"));
            });
        } finally {
            accessLog.removeHandler(capture);
        }
    }

    @Test
    void guessingFromOtherClientsDoesNotLockOutTheUserOnItsKnownClient() {
        String admin = newUser("admin");
        login(viaProxy("203.0.113.10"), admin, PASSWORD).then().statusCode(200);

        // three guessers use up the username's allowance for unknown clients (12 in the test profile)
        for (int guesser = 1; guesser <= 3; guesser++) {
            for (int i = 0; i < 5; i++) {
                login(viaProxy("198.51.100." + guesser), admin, "guess-" + i).then().statusCode(org.hamcrest.Matchers.oneOf(401, 429));
            }
        }
        login(viaProxy("198.51.100.50"), admin, PASSWORD).then().statusCode(429); // a new client is slowed down

        login(viaProxy("203.0.113.10"), admin, PASSWORD).then().statusCode(200) // the real user's known client
                .body("tokenType", equalTo("Bearer"));
    }

    @Test
    void aClientHasALimitOverAllUsernames() {
        for (int i = 0; i < 50; i++) {
            login(viaProxy("198.51.100.77"), "nobody-" + UUID.randomUUID(), "guess").then().statusCode(401);
        }
        login(viaProxy("198.51.100.77"), newUser("user"), PASSWORD).then().statusCode(429)
                .header("Retry-After", notNullValue());
        login(viaProxy("198.51.100.78"), "nobody-" + UUID.randomUUID(), "guess").then().statusCode(401); // another client
    }

    @Test
    void aFloodOfLongRandomUsernamesStaysBounded() {
        long before = count("SELECT count(*) FROM rate_limit_bucket");
        int refused = 0;
        long started = System.nanoTime();
        for (int i = 0; i < 120; i++) {
            String username = UUID.randomUUID().toString().repeat(250); // 9 KB
            refused += login(viaProxy("198.51.100.88"), username, "guess").statusCode() == 429 ? 1 : 0;
        }
        // the client's 50 failures per 15 minutes refill one every 18 s: a slow run may get one more try per 18 s
        long refilled = Duration.ofNanos(System.nanoTime() - started).toSeconds() / 18 + 1;
        assertThat(refused).as("after the client's 50").isBetween((int) (70 - refilled), 70);
        assertThat(count("SELECT max(length(id)) FROM rate_limit_bucket")).isLessThanOrEqualTo(96);
        assertThat(count("SELECT count(*) FROM rate_limit_bucket") - before)
                .as("one bucket for the client and two per username it could try").isLessThanOrEqualTo(1 + 2 * 50);
    }

    @Test
    void theTenantsRateHoldsAcrossGatewayInstances() {
        String user = newUser("user");
        String token = login(given(), user, PASSWORD).then().statusCode(200).extract().path("accessToken");
        String tenant = user.substring(0, user.length() - "-user".length());
        // a second gateway's own Bucket4j client on the same table, with the test profile's 20/s and burst 30 and
        // the default 10 tokens taken on its own between round trips
        TenantRateLimiter otherInstance = TenantRateLimiter.over(new Buckets(dataSource, clock), 20, 30, 10, Duration.ofSeconds(10));
        while (otherInstance.acquire(tenant) == 0) {
            // the other instance takes the tenant's burst
        }
        List<Integer> statuses = new ArrayList<>();
        Response limited = null;
        for (int i = 0; i < 60 && limited == null; i++) {
            Response response = given().header("Authorization", "Bearer " + token).get("/api/v1/basic-fee");
            statuses.add(response.statusCode());
            limited = response.statusCode() == 429 ? response : null;
        }
        assertThat(limited).as("limited after %s", statuses).isNotNull();
        assertThat(statuses.size() - 1).as("passed: only what refilled (20/s), not a burst of 30 of its own")
                .isLessThan(30);
        limited.then().contentType("application/problem+json").body("type", equalTo("/problems/rate-limited"))
                .header("Retry-After", notNullValue());
    }

    @Test
    void theOpenMetricsNameNoTenantsDomainMailboxOrAddress() {
        String token = login(given(), newUser("user"), PASSWORD).then().statusCode(200).extract().path("accessToken");
        String domain = "m" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        double before = timedAsTemplateOrNotFound();
        int paths = 110; // more than the 100 uri tag values Quarkus keeps by default
        for (int i = 0; i < paths; i++) {
            given().header("Authorization", "Bearer " + token).get("/api/v1/domains/d" + i + domain + "/dkim");
        }
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString()).doesNotContain(domain);
        // the service's 404s are Quarkus' NOT_FOUND, the tenant's rate limit's 429s the template: none denied
        assertThat(timedAsTemplateOrNotFound() - before).as("requests timed").isEqualTo(paths);
    }

    private static double timedAsTemplateOrNotFound() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{")
                        && (line.contains("uri=\"/api/v1/domains/{}/dkim\"") || line.contains("uri=\"NOT_FOUND\"")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        String token = login(given(), newUser("user"), PASSWORD).then().statusCode(200).extract().path("accessToken");
        List<Response> answers = new ArrayList<>();
        answers.add(given().get("/console/"));
        answers.add(given().get("/console/console.js"));
        answers.add(given().redirects().follow(false).get("/"));
        answers.add(given().header("Authorization", "Bearer " + token).get("/api/v1/basic-fee")); // forwarded
        answers.add(given().header("Authorization", "Bearer " + token).get("/api/v1/users")); // the gateway's own
        answers.add(given().get("/api/v1/mailboxes")); // 401
        answers.add(given().header("Authorization", "Bearer " + token).get("/api/v1/nothing-here")); // 404 problem
        answers.add(given().get("/no-such-page")); // Quarkus' 404
        answers.add(given().contentType(ContentType.JSON).body("{").post("/api/v1/auth/login")); // 400
        answers.add(given().get("/openapi"));
        for (Response answer : answers) {
            answer.then().header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("frame-ancestors 'none'"))
                    .header("Strict-Transport-Security", org.hamcrest.Matchers.nullValue());
        }
        assertThat(answers.get(0).header("Content-Security-Policy")).contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(answers.get(3).header("Content-Security-Policy")).startsWith("default-src 'none'");

        // only a trusted proxy can say the client came over TLS
        given().header("X-Forwarded-Proto", "https").get("/console/").then()
                .header("Strict-Transport-Security", org.hamcrest.Matchers.nullValue());
        viaProxy("203.0.113.7").header("X-Forwarded-Proto", "https").get("/console/").then()
                .header("Strict-Transport-Security", org.hamcrest.Matchers.startsWith("max-age="));
    }

    @Test
    void swaggerUiRunsOnlyItsOwnHashedInlineScripts() throws Exception {
        Response page = given().get("/q/swagger-ui/index.html");
        page.then().statusCode(200);
        String policy = page.header("Content-Security-Policy");
        assertThat(policy).contains("frame-ancestors 'none'").doesNotContain("script-src 'self' 'unsafe-inline'");
        Matcher scripts = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", Pattern.DOTALL).matcher(page.asString());
        List<String> hashes = new ArrayList<>();
        while (scripts.find()) {
            hashes.add("sha256-" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(scripts.group(1).getBytes(StandardCharsets.UTF_8))));
        }
        assertThat(hashes).isNotEmpty();
        assertThat(policy).as("gateway.security-headers.swagger-ui-script-hashes must be " + String.join(",", hashes))
                .contains(hashes.stream().map(hash -> "'" + hash + "'").toArray(String[]::new));
    }

    private long count(String query) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
