package dev.mailops.mailbox;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.mailops.mailbox.users.KnownUsers;

/** Requests as the gateway forwards them: a tenant, a user and roles in trusted headers. */
public final class Api {

    public static final String PASSWORD = "Correct-Horse-9";
    /** The system user every new tenant has ({@link #newTenant}), whom {@link #mailbox} makes the mailboxes' user. */
    public static final String SYSTEM_USER = "u-17";
    /** The topic the service publishes mailbox.events to under the test profile. */
    public static final String EVENTS_TOPIC = ConfigProvider.getConfig()
            .getValue("mp.messaging.outgoing.mailbox-events.topic", String.class);

    private Api() {
    }

    /** A new tenant, whose system user {@link #SYSTEM_USER} the gateway announced. */
    public static String newTenant() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 13);
        knownUser(tenant, SYSTEM_USER);
        return tenant;
    }

    /**
     * The user as the gateway.users consumer records a UserCreated of the tenant (GatewayUsersConsumerTest
     * tests that path through the topic; the other tests need the user known at once).
     */
    public static void knownUser(String tenant, String user) {
        QuarkusTransaction.requiringNew()
                .run(() -> Arc.container().instance(KnownUsers.class).get().created(tenant, user, Instant.now()));
    }

    public static String newDomain() {
        return "shop-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
    }

    public static RequestSpecification admin(String tenant) {
        return given().contentType(ContentType.JSON)
                .header("X-Tenant-Id", tenant)
                .header("X-User-Id", "admin-1")
                .header("X-User-Roles", "admin");
    }

    public static RequestSpecification user(String tenant) {
        return given().contentType(ContentType.JSON)
                .header("X-Tenant-Id", tenant)
                .header("X-User-Id", "user-1")
                .header("X-User-Roles", "user");
    }

    public static void registerDomain(String tenant, String domain) {
        admin(tenant).put("/api/v1/domains/" + domain).then().statusCode(201);
    }

    public static Map<String, Object> mailbox(String localPart, String domain, String rate) {
        Map<String, Object> body = new HashMap<>();
        body.put("localPart", localPart);
        body.put("domain", domain);
        body.put("firstName", "Anna");
        body.put("lastName", "Berg");
        body.put("systemUserId", SYSTEM_USER);
        body.put("forwardTo", List.of());
        body.put("keepCopy", false);
        body.put("password", PASSWORD);
        body.put("passwordConfirmation", PASSWORD);
        body.put("rate", rate);
        return body;
    }

    /** Creates a mailbox and returns its id. */
    public static String createMailbox(String tenant, String localPart, String domain, String rate) {
        return admin(tenant).body(mailbox(localPart, domain, rate))
                .post("/api/v1/mailboxes")
                .then().statusCode(201)
                .extract().path("id");
    }

    public static void addAlias(String tenant, String mailboxId, String localPart, String domain) {
        admin(tenant).body(alias(localPart, domain)).post("/api/v1/mailboxes/" + mailboxId + "/aliases")
                .then().statusCode(201);
    }

    public static Map<String, String> alias(String localPart, String domain) {
        return Map.of("localPart", localPart, "domain", domain);
    }
}
