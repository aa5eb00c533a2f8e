package dev.mailops.gateway;

import static dev.mailops.gateway.GatewayIT.PASSWORD;
import static dev.mailops.gateway.GatewayIT.bearer;
import static dev.mailops.gateway.GatewayIT.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;


import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;


/**
 * A domain's DKIM keys through the gateway: read by any user of the domain's tenant, rotated only by its
 * admin, and out of every other tenant's reach, forged identity headers or not. The keys come from a real
 * mailbox-service with DKIM enabled, published by a real dns-service ({@link DkimProfile}).
 */
@QuarkusTest
@TestProfile(DkimProfile.class)
class DkimIT {

    static final Duration WAIT = Duration.ofSeconds(60);


    /** A new tenant with an admin and a plain user: id, admin token, user token. */
    String[] newTenant() {
        String tenant = "k-" + UUID.randomUUID().toString().substring(0, 8);
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", PASSWORD);
        Onboarding.user(Onboarding.login(tenant + "-admin", PASSWORD), tenant + "-user", "User", PASSWORD, List.of("user"));
        return new String[] { tenant, login(tenant + "-admin", PASSWORD), login(tenant + "-user", PASSWORD) };
    }

    @Test
    void aDomainsKeysAreReadByItsTenantAndRotatedByItsAdminOnly() throws Exception {
        String[] acme = newTenant();
        String[] other = newTenant();
        String domain = "dkim-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        String dkim = "/api/v1/domains/" + domain + "/dkim";
        Onboarding.provenDomain(acme[1], domain);

        await().atMost(WAIT).untilAsserted(() -> bearer(acme[2]).get(dkim).then().statusCode(200)
                .body("domain", equalTo(domain)).body("enabled", equalTo(true))
                .body("selectors.find { it.selector == 'mbo0001' }.state", equalTo("active"))
                .body("selectors.find { it.selector == 'mbo0002' }.state", equalTo("published")));
        JsonPath keys = bearer(acme[2]).get(dkim).then().extract().jsonPath();
        assertThat(txt("mbo0001._domainkey." + domain)).as("the DNS server serves the key the API shows")
                .isEqualTo(keys.getString("selectors.find { it.selector == 'mbo0001' }.record"));

        // Another tenant neither sees nor rotates the keys, not even with forged identity headers.
        bearer(other[1]).get(dkim).then().statusCode(404);
        bearer(other[1]).post(dkim + "/rotate").then().statusCode(404);
        bearer(other[1]).header("X-Tenant-Id", acme[0]).header("X-User-Roles", "admin").get(dkim).then().statusCode(404);
        bearer(other[1]).header("X-Tenant-Id", acme[0]).header("X-User-Roles", "admin").post(dkim + "/rotate")
                .then().statusCode(404);
        // A plain user of the tenant is refused by the gateway itself.
        bearer(acme[2]).post(dkim + "/rotate").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("/problems/forbidden"));
        bearer(acme[2]).get(dkim).then().statusCode(200)
                .body("selectors.find { it.selector == 'mbo0001' }.state", equalTo("active"));

        bearer(acme[1]).post(dkim + "/rotate").then().statusCode(200)
                .body("selectors.find { it.selector == 'mbo0002' }.state", equalTo("active"))
                .body("selectors.find { it.selector == 'mbo0001' }.state", equalTo("retiring"))
                .body("selectors.find { it.selector == 'mbo0001' }.retiresAt", notNullValue());
        bearer(acme[1]).post(dkim + "/rotate").then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("dkim-rotation-not-ready")).body("retryAfter", notNullValue());
    }

    @Test
    void nothingElseUnderDkimIsForwarded() {
        String[] acme = newTenant();
        bearer(acme[1]).get("/api/v1/domains/shop.example/dkim/mbo0001").then().statusCode(404)
                .contentType("application/problem+json");
        bearer(acme[1]).post("/api/v1/domains/shop.example/dkim/rotate/now").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void theOneOpenApiDocumentDescribesTheDkimPaths() throws Exception {
        String document = io.restassured.RestAssured.given().get("/openapi").then().statusCode(200).extract().asString();
        List<String> paths = new java.util.ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(document).get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/api/v1/domains/{domain}/dkim", "/api/v1/domains/{domain}/dkim/rotate");
    }

    /** The TXT record's value as the run's DNS server serves it, its character strings joined. */
    static String txt(String name) throws Exception {
        SimpleResolver resolver = new SimpleResolver("127.0.0.1");
        resolver.setPort(RunningServices.dnsPort);
        resolver.setTCP(true);
        Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.TXT, DClass.IN)));
        return answer.getSection(Section.ANSWER).stream().filter(TXTRecord.class::isInstance)
                .map(r -> String.join("", ((TXTRecord) r).getStrings())).findFirst().orElse(null);
    }
}
