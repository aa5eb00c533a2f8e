package dev.mailops.kit.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Every request has an id: the client's when it is sane, else a new one; echoed on every answer. */
@QuarkusTest
class RequestIdsTest {

    @Test
    void aSaneClientIdIsKeptEchoedAndTheCorrelationIdOfTheRequest() {
        given().header("X-Tenant-Id", "acme").header("X-Request-Id", "gw-req.1:a_b-C")
                .get("/probe/caller").then().statusCode(200)
                .header("X-Request-Id", "gw-req.1:a_b-C").body("correlationId", equalTo("gw-req.1:a_b-C"));
    }

    @Test
    void withoutAClientIdTheRequestGetsANewOne() {
        Response response = given().header("X-Tenant-Id", "acme").get("/probe/caller");
        String id = response.header("X-Request-Id");
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(response.jsonPath().getString("correlationId")).isEqualTo(id);
        assertThat(given().header("X-Tenant-Id", "acme").get("/probe/caller").header("X-Request-Id")).isNotEqualTo(id);
    }

    @Test
    void anInsaneClientIdIsReplaced() {
        for (String insane : new String[] { "has spaces", "x".repeat(129), "semi;colon", "<script>" }) {
            String id = given().header("X-Tenant-Id", "acme").header("X-Request-Id", insane).get("/probe/caller")
                    .then().statusCode(200).extract().header("X-Request-Id");
            assertThat(id).as(insane).isNotEqualTo(insane);
            assertThat(UUID.fromString(id)).isNotNull();
        }
    }

    @Test
    void errorsCarryTheIdToo() {
        given().header("X-Request-Id", "req-401").get("/probe/caller").then().statusCode(401)
                .header("X-Request-Id", "req-401");
        given().header("X-Tenant-Id", "acme").header("X-Request-Id", "req-500").get("/probe/broken").then()
                .statusCode(500).header("X-Request-Id", "req-500");
        given().header("X-Request-Id", "req-404").get("/nothing/here").then().statusCode(404)
                .header("X-Request-Id", "req-404");
    }
}
