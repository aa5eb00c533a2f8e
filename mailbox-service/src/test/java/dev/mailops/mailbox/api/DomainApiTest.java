package dev.mailops.mailbox.api;

import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.user;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.mailbox.Api;

@QuarkusTest
class DomainApiTest {

    @Test
    void registersADomainOnceAndListsIt() {
        String tenant = newTenant();
        String domain = newDomain();
        admin(tenant).put("/api/v1/domains/" + domain.toUpperCase())
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/domains/" + domain))
                .body("domain", equalTo(domain));
        admin(tenant).put("/api/v1/domains/" + domain).then().statusCode(200).body("domain", equalTo(domain));
        admin(tenant).get("/api/v1/domains").then().statusCode(200).body("items.domain", contains(domain))
                .body("items[0].state", equalTo("verified")).body("items[0].verification.method", equalTo("none"))
                .body("totalItems", equalTo(1));
        user(tenant).get("/api/v1/domains/" + domain).then().statusCode(200);
    }

    @Test
    void aDomainBelongsToOneTenantOnly() {
        String owner = newTenant();
        String other = newTenant();
        String domain = newDomain();
        Api.registerDomain(owner, domain);
        admin(other).put("/api/v1/domains/" + domain)
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/domain-taken"))
                .body("title", equalTo("Domain belongs to another customer"))
                .body("status", equalTo(409))
                .body("detail", equalTo(domain + " is registered by another customer"))
                .body("instance", equalTo("/api/v1/domains/" + domain))
                .body("domain", equalTo(domain));
        admin(other).get("/api/v1/domains/" + domain).then().statusCode(404);
        admin(other).get("/api/v1/domains").then().body("items.size()", equalTo(0));
    }

    @Test
    void listsTheDomainsAPageAtATime() {
        String tenant = newTenant();
        for (int i = 0; i < 3; i++) {
            Api.registerDomain(tenant, newDomain());
        }
        admin(tenant).get("/api/v1/domains?page=1&size=2").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("page", equalTo(1)).body("size", equalTo(2))
                .body("totalItems", equalTo(3)).body("totalPages", equalTo(2));
    }

    @Test
    void refusesPagesOutOfBoundsNamingTheField() {
        String tenant = newTenant();
        admin(tenant).get("/api/v1/domains?size=101").then().statusCode(400).body("errors.field", contains("size"));
        admin(tenant).get("/api/v1/domains?size=0").then().statusCode(400).body("errors.field", contains("size"));
        admin(tenant).get("/api/v1/domains?page=2147483647&size=100").then().statusCode(400)
                .body("errors.field", contains("page"));
        admin(tenant).get("/api/v1/domains?page=-1").then().statusCode(400).body("errors.field", contains("page"));
        admin(tenant).get("/api/v1/domains?page=99999999999999999999").then().statusCode(400)
                .body("errors.field", contains("page"));
    }

    @Test
    void refusesAnInvalidDomainName() {
        admin(newTenant()).put("/api/v1/domains/not_a_domain")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem("domain"));
    }

    @Test
    void needsAdminRightsToRegisterAndAnIdentityToRead() {
        user(newTenant()).put("/api/v1/domains/" + newDomain())
                .then().statusCode(403).contentType("application/problem+json");
        given().get("/api/v1/domains").then().statusCode(401).contentType("application/problem+json");
        given().header("X-Tenant-Id", "bad tenant!").get("/api/v1/domains").then().statusCode(401);
    }
}
