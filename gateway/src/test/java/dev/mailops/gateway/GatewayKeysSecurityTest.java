package dev.mailops.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The gateway ships no key and no default that would let it verify or sign tokens with a key known to
 * anyone but the installation: its main resources hold no private key, and outside the test profile the
 * key locations come only from the environment.
 */
class GatewayKeysSecurityTest {

    static final Path MAIN_RESOURCES = Path.of("src/main/resources");

    @Test
    void theMainResourcesHoldNoPrivateKey() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN_RESOURCES)) {
            assertThat(files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return Files.readString(file, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            })).isEmpty();
        }
    }

    @Test
    void outsideTheTestProfileTheKeysAndTheAudienceComeFromConfigurationWithoutAKnownKeyAsDefault() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(MAIN_RESOURCES.resolve("application.properties"))) {
            properties.load(in);
        }
        assertThat(properties.getProperty("mp.jwt.verify.publickey.location"))
                .isEqualTo("${GATEWAY_JWT_PUBLIC_KEYS:${GATEWAY_JWT_PUBLIC_KEY}}");
        assertThat(properties.getProperty("smallrye.jwt.sign.key.location")).isEqualTo("${GATEWAY_JWT_PRIVATE_KEY}");
        assertThat(properties.getProperty("mp.jwt.verify.audiences")).isEqualTo("${gateway.token.audience}");
        assertThat(properties.getProperty("smallrye.jwt.new-token.audience")).isEqualTo("${gateway.token.audience}");
        assertThat(properties.getProperty("gateway.bootstrap.operator.password")).isEqualTo("${GATEWAY_BOOTSTRAP_OPERATOR_PASSWORD:}");
    }
}
