package dev.mailops.gateway;

import static dev.mailops.gateway.GatewayIT.PASSWORD;
import static dev.mailops.gateway.GatewayIT.bearer;
import static dev.mailops.gateway.GatewayIT.login;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The doors of a pending domain's proof check ("Check now", {@code POST /api/v1/domains/{d}/verify})
 * through the gateway, on the set that asks for proof ({@link DkimProfile}, resolver {@link ProofDns}).
 * Each door leaves the domain pending; the last test is the control that the check does prove it.
 */
@QuarkusTest
@TestProfile(DkimProfile.class)
class DomainProofSecurityIT {

    /** Two tenants for all doors (each door has a domain of its own): their admin's and plain user's tokens. */
    private static String[] owner;
    private static String[] other;

    private static synchronized String[] tenant(boolean owning) {
        if (owner == null) {
            owner = newTenant();
            other = newTenant();
        }
        return owning ? owner : other;
    }

    private static String[] newTenant() {
        String tenant = "vp-" + UUID.randomUUID().toString().substring(0, 8);
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        String admin = login(tenant + "-admin", PASSWORD);
        Onboarding.user(admin, tenant + "-user", "User", PASSWORD, List.of("user"));
        return new String[] { admin, login(tenant + "-user", PASSWORD), tenant };
    }

    /** A new pending domain of the owning tenant: its admin's and plain user's tokens, and the domain. */
    private static String[] pendingDomain() {
        String[] tenant = tenant(true);
        String domain = "p-" + UUID.randomUUID().toString().substring(0, 8) + "." + tenant[2] + ".example";
        bearer(tenant[0]).put("/api/v1/domains/" + domain).then().statusCode(201).body("state", equalTo("pending"));
        return new String[] { tenant[0], tenant[1], domain };
    }

    private static void stillPending(String token, String domain) {
        bearer(token).get("/api/v1/domains/" + domain).then().statusCode(200).body("state", equalTo("pending"));
    }

    private static JsonPath record(String token, String domain) {
        return bearer(token).get("/api/v1/domains/" + domain).then().statusCode(200).extract().jsonPath()
                .setRootPath("verification.record");
    }

    @Test
    void checkingBeforeTheRecordExistsProvesNothing() {
        String[] pending = pendingDomain();
        JsonPath record = record(pending[0], pending[2]);
        bearer(pending[0]).post("/api/v1/domains/" + pending[2] + "/verify").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("domain-not-verified"))
                .body("recordName", equalTo(record.getString("name"))).body("recordValue", equalTo(record.getString("value")));
        stillPending(pending[0], pending[2]);
    }

    @Test
    void aRecordWithAnotherTokenProvesNothing() {
        String[] pending = pendingDomain();
        JsonPath record = record(pending[0], pending[2]);
        RunningServices.proofDns.serve(record.getString("name"), "mailops-verification=" + UUID.randomUUID());
        bearer(pending[0]).post("/api/v1/domains/" + pending[2] + "/verify").then().statusCode(409);
        stillPending(pending[0], pending[2]);
    }

    @Test
    void aPlainUserOfTheTenantIsRefusedByTheGateway() {
        String[] pending = pendingDomain();
        JsonPath record = record(pending[0], pending[2]);
        RunningServices.proofDns.serve(record.getString("name"), record.getString("value"));
        bearer(pending[1]).post("/api/v1/domains/" + pending[2] + "/verify").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("/problems/forbidden"));
        stillPending(pending[0], pending[2]);
    }

    @Test
    void anotherTenantsAdminFindsNoSuchDomainEvenWithForgedHeaders() {
        String[] pending = pendingDomain();
        String[] other = tenant(false);
        JsonPath record = record(pending[0], pending[2]);
        RunningServices.proofDns.serve(record.getString("name"), record.getString("value"));
        String tenant = tenant(true)[2];
        bearer(other[0]).post("/api/v1/domains/" + pending[2] + "/verify").then().statusCode(404);
        bearer(other[0]).header("X-Tenant-Id", tenant).header("X-User-Roles", "admin")
                .post("/api/v1/domains/" + pending[2] + "/verify").then().statusCode(404);
        stillPending(pending[0], pending[2]);
    }

    @Test
    void theOwnersAdminProvesItOnceTheExactRecordIsServed() {
        String[] pending = pendingDomain();
        JsonPath record = record(pending[0], pending[2]);
        RunningServices.proofDns.serve(record.getString("name"), record.getString("value"));
        bearer(pending[0]).post("/api/v1/domains/" + pending[2] + "/verify").then().statusCode(200)
                .body("state", equalTo("verified")).body("verification.method", equalTo("dns-txt"));
    }
}
