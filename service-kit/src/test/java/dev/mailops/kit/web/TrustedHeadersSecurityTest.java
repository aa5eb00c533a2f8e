package dev.mailops.kit.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.mailops.kit.secrets.RequiredSecrets;

/**
 * The doors of the identity headers: whoever reaches a service directly, past the gateway, sends them
 * without the gateway token, with a wrong one, or to a service started without one. Each is refused.
 */
@QuarkusTest
@TestProfile(GatewayTokenTest.WithGatewayToken.class)
class TrustedHeadersSecurityTest {

    @Test
    void identityHeadersWithoutTheGatewayTokenAreRefused() {
        given().header("X-Tenant-Id", "acme").header("X-User-Id", "mallory").header("X-User-Roles", "admin,operator")
                .put("/probe/admin-only").then().statusCode(401).body("type", equalTo("/problems/unauthenticated"));
    }

    @Test
    void identityHeadersWithAWrongGatewayTokenAreRefused() {
        for (String wrong : new String[] { "local-gateway-token", "change-me", GatewayTokenTest.TOKEN.toUpperCase(),
                GatewayTokenTest.TOKEN + "x", "" }) {
            given().header("X-Gateway-Token", wrong).header("X-Tenant-Id", "acme").header("X-User-Roles", "admin")
                    .put("/probe/admin-only").then().statusCode(401);
        }
    }

    @Test
    void identityHeadersWithTheRightGatewayTokenAreTheCaller() {
        given().header("X-Gateway-Token", GatewayTokenTest.TOKEN).header("X-Tenant-Id", "acme")
                .header("X-User-Roles", "admin").put("/probe/admin-only").then().statusCode(200);
    }

    @Test
    void aServiceRunWithoutAGatewayTokenOutsideItsTestsTrustsNoHeaders() {
        TrustedHeadersAuthentication packaged = new TrustedHeadersAuthentication();
        packaged.gatewayToken = Optional.empty();
        packaged.trustedWithoutToken = false; // what every launch but the tests' decides

        assertThat(packaged.fromTheGateway(null)).isFalse();
        assertThat(packaged.fromTheGateway("")).isFalse();
        assertThat(packaged.fromTheGateway("anything")).isFalse();
    }

    @Test
    void aPackagedServiceWithAnEmptyGatewayTokenRefusesToStart() {
        Config config = config(Map.of(RequiredSecrets.LIST, "mailops.gateway-token",
                "mailops.gateway-token", "${MAILOPS_GATEWAY_TOKEN:}"));

        assertThatThrownBy(() -> RequiredSecrets.requireAll(config))
                .hasMessageContaining("Refusing to start")
                .hasMessageContaining("mailops.gateway-token (MAILOPS_GATEWAY_TOKEN) is not set");
    }

    @Test
    void aPackagedServiceWithAPlaceholderGatewayTokenRefusesToStart() {
        Config config = config(Map.of(RequiredSecrets.LIST, "mailops.gateway-token",
                "mailops.gateway-token", "local-gateway-token"));

        assertThatThrownBy(() -> RequiredSecrets.requireAll(config))
                .hasMessageContaining("mailops.gateway-token is a placeholder, not a secret")
                .hasMessageNotContaining("local-gateway-token");
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withSources(new PropertiesConfigSource(properties, "test", 500)).build();
    }
}
