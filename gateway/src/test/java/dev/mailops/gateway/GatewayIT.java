package dev.mailops.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;


import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.TestInfrastructure;
import dev.mailops.testinfra.TopicProbe;

/** The rules of the one entry point, end to end: a real login, real tokens, the real services behind. */
@QuarkusTest
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "gateway_test"))
@QuarkusTestResource(RunningServices.class)
class GatewayIT {

    static final String PASSWORD = "Correct-Horse-9";


    static String login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login").then().statusCode(200)
                .body("tokenType", equalTo("Bearer")).extract().path("accessToken");
    }

    static RequestSpecification bearer(String token) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    /** A new tenant with an admin and a plain user; returns their tokens. */
    String[] newTenant() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        Onboarding.user(Onboarding.login(tenant + "-admin", PASSWORD), tenant + "-user", "User", PASSWORD, List.of("user"));
        return new String[] { tenant, login(tenant + "-admin", PASSWORD), login(tenant + "-user", PASSWORD) };
    }

    /** A mailbox of the system user (a user of the tenant: its admin {@code <tenant>-admin}, say). */
    static Map<String, Object> mailbox(String localPart, String domain, String systemUserId) {
        Map<String, Object> body = new HashMap<>();
        body.put("localPart", localPart);
        body.put("domain", domain);
        body.put("firstName", "Anna");
        body.put("lastName", "Berg");
        body.put("systemUserId", systemUserId);
        body.put("password", PASSWORD);
        body.put("passwordConfirmation", PASSWORD);
        body.put("rate", "MAIL_STANDARD");
        return body;
    }

    @Test
    void oneEntryPointReachesEveryServiceForTheTokensTenant() {
        String[] acme = newTenant();
        String domain = "shop-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        bearer(acme[1]).put("/api/v1/domains/" + domain).then().statusCode(201).body("domain", equalTo(domain));
        String id = bearer(acme[1]).header("X-Request-Id", "gw-req-1").body(mailbox("anna", domain, acme[0] + "-admin"))
                .post("/api/v1/mailboxes").then().statusCode(201)
                .header("X-Request-Id", "gw-req-1").extract().path("id");
        bearer(acme[2]).get("/api/v1/mailboxes/" + id + "/history").then().statusCode(200)
                .body("[0].actor", equalTo(acme[0] + "-admin")).body("[0].correlationId", equalTo("gw-req-1"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> bearer(acme[2]).get("/api/v1/contract").then()
                .statusCode(200).body("mailboxes.address", hasItem("anna@" + domain)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> bearer(acme[2])
                .get("/api/v1/domains/" + domain + "/records").then().statusCode(200));
        bearer(acme[2]).get("/api/v1/rates").then().statusCode(200).body("id", hasItem("MAIL_LIGHT"));
        bearer(acme[2]).get("/api/v1/domains/" + domain + "/client-settings").then().statusCode(200)
                .body("server", equalTo("mail." + domain));
        given().queryParam("emailaddress", "anna@" + domain).get("/mail/config-v1.1.xml").then().statusCode(200)
                .body(containsString("mail." + domain));
        bearer(acme[2]).get("/api/v1/users").then().statusCode(200)
                .body("items.username", hasItem(acme[0] + "-user"));
    }

    @Test
    void aMailboxBelongsToAnEnabledUserOfTheTenant() {
        String[] acme = newTenant();
        String[] other = newTenant();
        String domain = "users-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        bearer(acme[1]).put("/api/v1/domains/" + domain).then().statusCode(201);
        String clerk = acme[0] + "-clerk";
        Onboarding.user(acme[1], clerk, "Clerk", PASSWORD, List.of("user")); // returns once mailbox-service knows it
        bearer(acme[1]).body(mailbox("clerk", domain, clerk)).post("/api/v1/mailboxes").then().statusCode(201)
                .body("systemUserId", equalTo(clerk));
        for (String notOurs : List.of("made-up-user", other[0] + "-admin")) {
            bearer(acme[1]).body(mailbox("nobody", domain, notOurs)).post("/api/v1/mailboxes").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", contains("systemUserId"));
        }
        bearer(acme[1]).body(Map.of("enabled", false)).put("/api/v1/users/" + clerk + "/enabled").then().statusCode(200);
        Onboarding.awaitInMailboxService(clerk, false);
        bearer(acme[1]).body(mailbox("clerk2", domain, clerk)).post("/api/v1/mailboxes").then().statusCode(400)
                .body("errors.field", contains("systemUserId")).body("errors[0].message", containsString("disabled"));
        bearer(acme[1]).get("/api/v1/mailboxes?domain=" + domain).then().statusCode(200)
                .body("items.systemUserId", contains(clerk));
    }

    @Test
    void theUsersLifecycleReachesGatewayUsersKeyedByTenantWithoutASecret() throws Exception {
        try (TopicProbe users = TopicProbe.open(RunningServices.usersTopic)) {
            String[] acme = newTenant();
            bearer(acme[1]).body(Map.of("enabled", false)).put("/api/v1/users/" + acme[0] + "-user/enabled")
                    .then().statusCode(200);
            bearer(acme[1]).body(Map.of("enabled", false)).put("/api/v1/users/" + acme[0] + "-user/enabled")
                    .then().statusCode(200); // no change: nothing published (it would come before the UserEnabled)
            bearer(acme[1]).body(Map.of("enabled", true)).put("/api/v1/users/" + acme[0] + "-user/enabled")
                    .then().statusCode(200);
            List<ConsumerRecord<String, String>> records = users.await(TopicProbe.keyed(acme[0]), 4, Duration.ofSeconds(30));
            assertThat(records).extracting(record -> TopicProbe.header(record, "ce_type") + ":"
                    + TopicProbe.header(record, "ce_subject")).containsExactly(
                            "UserCreated:" + acme[0] + "-admin", "UserCreated:" + acme[0] + "-user",
                            "UserDisabled:" + acme[0] + "-user", "UserEnabled:" + acme[0] + "-user");
            ObjectMapper json = new ObjectMapper();
            for (ConsumerRecord<String, String> record : records) {
                String type = TopicProbe.header(record, "ce_type");
                assertThat(TopicProbe.header(record, "ce_tenantid")).isEqualTo(acme[0]);
                assertThat(TopicProbe.header(record, "ce_source")).isEqualTo("/mailops/gateway");
                assertThat(TopicProbe.header(record, "ce_dataschema"))
                        .isEqualTo("urn:mailops:schema:gateway-users:" + type + ":v1");
                JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                        .getSchema(Files.readString(LocalInfrastructure.repositoryRoot()
                                .resolve("contract/gateway-users/" + type + ".v1.schema.json")));
                assertThat(schema.validate(json.readTree(record.value()))).isEmpty();
                assertThat(record.value()).doesNotContainIgnoringCase("password").doesNotContain("$2a$")
                        .doesNotContain(PASSWORD);
            }
        }
    }

    @Test
    void noOrBadTokenIs401AndChangesNeedTheAdminRole() {
        String[] acme = newTenant();
        given().get("/api/v1/mailboxes").then().statusCode(401);
        given().header("Authorization", "Bearer not.a.token").get("/api/v1/mailboxes").then().statusCode(401);
        given().header("X-Tenant-Id", acme[0]).header("X-User-Roles", "admin").get("/api/v1/mailboxes")
                .then().statusCode(401).contentType("application/problem+json");
        bearer(acme[2]).put("/api/v1/domains/user-" + UUID.randomUUID().toString().substring(0, 6) + ".de")
                .then().statusCode(403).contentType("application/problem+json");
        bearer(acme[2]).body(Map.of("plan", "BUSINESS_SUPPORT")).put("/api/v1/basic-fee").then().statusCode(403);
        bearer(acme[2]).get("/api/v1/basic-fee").then().statusCode(200);
        bearer(acme[2]).body(Map.of("username", "x-" + acme[0], "displayName", "X", "password", PASSWORD))
                .post("/api/v1/users").then().statusCode(403);
        bearer(acme[1]).get("/api/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
        bearer(acme[1]).post("/api/v1/operations/replay").then().statusCode(404);
        // found by the fuzz run (bench): a NUL in a name reached PostgreSQL and came back as a 500
        bearer(acme[1]).body(Map.of("username", "nul-" + acme[0], "displayName", "A\u0000B", "password", PASSWORD))
                .post("/api/v1/users").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItem("displayName"));
    }

    @Test
    void oneTenantNeverReachesAnothersDataAndForgedHeadersChangeNothing() {
        String[] acme = newTenant();
        String[] other = newTenant();
        String domain = "iso-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        bearer(acme[1]).put("/api/v1/domains/" + domain).then().statusCode(201);
        String id = bearer(acme[1]).body(mailbox("anna", domain, acme[0] + "-admin")).post("/api/v1/mailboxes").then().statusCode(201)
                .extract().path("id");
        bearer(other[1]).get("/api/v1/mailboxes/" + id).then().statusCode(404);
        bearer(other[1]).delete("/api/v1/mailboxes/" + id).then().statusCode(404);
        bearer(other[1]).header("X-Tenant-Id", acme[0]).header("X-User-Roles", "admin")
                .get("/api/v1/mailboxes/" + id).then().statusCode(404);
        bearer(other[1]).header("X-Tenant-Id", acme[0]).get("/api/v1/contract").then().statusCode(200)
                .body("tenantId", equalTo(other[0]));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> bearer(acme[1])
                .get("/api/v1/domains/" + domain + "/records").then().statusCode(200));
        bearer(other[1]).get("/api/v1/domains/" + domain + "/records").then().statusCode(404);
        bearer(acme[1]).get("/api/v1/mailboxes/" + id).then().statusCode(200);
    }

    @Test
    void theServicesTakeIdentityHeadersOnlyFromTheGateway() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("X-Tenant-Id", tenant).header("X-User-Roles", "admin")
                .get(RunningServices.mailbox.baseUrl() + "/api/v1/mailboxes").then().statusCode(401);
        given().header("X-Tenant-Id", tenant).header("X-Gateway-Token", RunningServices.GATEWAY_TOKEN)
                .get(RunningServices.mailbox.baseUrl() + "/api/v1/mailboxes").then().statusCode(200)
                .body("totalItems", equalTo(0));
    }

    @Test
    void repeatedFailedLoginsAreThrottled() {
        String[] acme = newTenant();
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body(Map.of("username", acme[0] + "-user", "password", "wrong-" + i))
                    .post("/api/v1/auth/login").then().statusCode(401).contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON).body(Map.of("username", acme[0] + "-user", "password", PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(429).header("Retry-After", notNullValue());
    }

    @Test
    void aTenantOverItsRateGets429WithRetryAfterAndBigBodiesAreRefused() throws Exception {
        String[] acme = newTenant();
        List<Integer> statuses = new ArrayList<>();
        io.restassured.response.Response limited = null;
        for (int i = 0; i < 200 && limited == null; i++) {
            io.restassured.response.Response response = bearer(acme[2]).get("/api/v1/basic-fee");
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                limited = response;
            }
        }
        assertThat(statuses).as("the burst of 30 passes first").startsWith(java.util.Collections.nCopies(30, 200)
                .toArray(Integer[]::new));
        assertThat(limited).as("a tenant over its rate is limited").isNotNull();
        limited.then().header("Retry-After", notNullValue()).contentType("application/problem+json")
                .body("type", equalTo("/problems/rate-limited"));
        String[] fresh = newTenant();
        bearer(fresh[1]).body("{\"localPart\":\"" + "a".repeat(300_000) + "\"}").post("/api/v1/mailboxes")
                .then().statusCode(413);
        // The migration's CSV upload may be larger than other bodies: 300 KB reach mailbox-service, which
        // checks the lines (a dry run: a domain the tenant does not have, on every line).
        String csv = "localPart,domain,firstName,lastName,systemUserId,rate,password\n"
                + "anna-maria-berg-0001,not-the-tenants.example,Anna,Berg,u-1,MAIL_STANDARD,x\n".repeat(4_000);
        assertThat(csv.length()).isGreaterThan(256 * 1024);
        given().header("Authorization", "Bearer " + fresh[1]).contentType("text/csv; charset=utf-8")
                .body(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/imports?dryRun=true")
                .then().body("type", org.hamcrest.Matchers.not(equalTo("/problems/payload-too-large")))
                .statusCode(org.hamcrest.Matchers.not(413));
        // A body of unknown length would slip past the smaller limit: 411 on every other path.
        java.net.http.HttpResponse<String> chunked = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                        + io.restassured.RestAssured.port + "/api/v1/mailboxes"))
                        .header("Authorization", "Bearer " + fresh[1]).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream("{}".getBytes())))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(411);
        assertThat(chunked.body()).contains("/problems/length-required");
    }

    @Test
    void anOverloadedServiceIsRefusedAtOnceAndNothingRefusedIsWritten() throws Exception {
        // The test profile allows 8 requests in flight and 8 waiting per service; creates hash passwords,
        // so 36 at once cannot all be in flight or waiting.
        List<String[]> tenants = List.of(newTenant(), newTenant(), newTenant());
        Map<String, String> domains = new HashMap<>();
        for (String[] tenant : tenants) {
            String domain = "busy-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
            bearer(tenant[1]).put("/api/v1/domains/" + domain).then().statusCode(201);
            domains.put(tenant[0], domain);
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(36);
        Map<String, List<Future<io.restassured.response.Response>>> answers = new HashMap<>();
        try {
            for (String[] tenant : tenants) {
                for (int i = 0; i < 12; i++) {
                    var body = mailbox("m" + i, domains.get(tenant[0]), tenant[0] + "-admin");
                    answers.computeIfAbsent(tenant[0], t -> new ArrayList<>()).add(clients.submit(() -> {
                        start.await();
                        return bearer(tenant[1]).body(body).post("/api/v1/mailboxes");
                    }));
                }
            }
            start.countDown();
            List<io.restassured.response.Response> shed = new ArrayList<>();
            for (String[] tenant : tenants) {
                int created = 0;
                for (var answer : answers.get(tenant[0])) {
                    var response = answer.get(60, TimeUnit.SECONDS);
                    assertThat(response.statusCode()).as("created or shed").isIn(201, 503);
                    if (response.statusCode() == 201) {
                        created++;
                    } else {
                        shed.add(response);
                    }
                }
                bearer(tenant[2]).get("/api/v1/mailboxes").then().statusCode(200)
                        .body("totalItems", equalTo(created)); // a refused create wrote nothing
            }
            assertThat(shed).as("some creates were shed").isNotEmpty();
            shed.get(0).then().contentType("application/problem+json").header("Retry-After", "1")
                    .body("type", equalTo("/problems/overloaded"));
        } finally {
            clients.shutdownNow();
        }
        String[] calm = tenants.get(0);
        bearer(calm[1]).body(mailbox("after", domains.get(calm[0]), calm[0] + "-admin")).post("/api/v1/mailboxes").then().statusCode(201);
    }

    @Test
    void oneOpenApiDocumentDescribesTheWholeApi() throws Exception {
        String document = given().get("/openapi").then().statusCode(200).extract().asString();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(document);
        List<String> paths = new ArrayList<>();
        tree.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/api/v1/auth/login", "/api/v1/users", "/api/v1/mailboxes", "/api/v1/mailboxes/{id}/aliases",
                "/api/v1/domains/{domain}", "/api/v1/domains/{domain}/verify", "/api/v1/contract/statements/{month}",
                "/api/v1/domains/{domain}/records",
                "/api/v1/rates").doesNotContain("/api/v1/operations/replay");
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("#/components/schemas/([A-Za-z0-9_.]+)").matcher(document);
        while (refs.find()) {
            assertThat(tree.get("components").get("schemas").has(refs.group(1))).as(refs.group(1)).isTrue();
        }
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void aServiceThatIsDownGives503Quickly() {
        String[] acme = newTenant();
        RunningServices.dns.kill();
        try {
            long started = System.nanoTime();
            bearer(acme[1]).get("/api/v1/domains/example.de/records").then().statusCode(503)
                    .contentType("application/problem+json").body("type", equalTo("/problems/service-unavailable"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            RunningServices.dns.start();
        }
    }
}
