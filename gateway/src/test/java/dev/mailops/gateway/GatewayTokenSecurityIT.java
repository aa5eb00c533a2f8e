package dev.mailops.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.Key;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * Forged bearer tokens, one door per test: each asks for a tenant admin's data (the mailboxes through
 * the proxy, and the gateway's own user list) and must get 401. The legitimate keys (the gateway's test
 * key, and the previous key of the rotation JWKS) are shown to work with the same claims, so every refusal
 * is the door's doing.
 */
@QuarkusTest
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "gateway_test"))
@QuarkusTestResource(RunningServices.class)
class GatewayTokenSecurityIT {

    static final String ISSUER = "https://mailops.local/gateway";
    static final String AUDIENCE = "mailops";

    /** An admin's claims for the tenant {@code victim}, valid for five minutes. */
    static JwtClaims adminClaims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject("intruder");
        claims.setClaim("upn", "intruder");
        claims.setClaim("tenant", "victim");
        claims.setStringListClaim("groups", List.of("admin", "user"));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    static String rs256(JwtClaims claims, Key key, String kid) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        try {
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void refused(String token) {
        given().header("Authorization", "Bearer " + token).get("/api/v1/mailboxes").then().statusCode(401);
        given().header("Authorization", "Bearer " + token).get("/api/v1/users").then().statusCode(401);
    }

    static void accepted(String token) {
        given().header("Authorization", "Bearer " + token).get("/api/v1/mailboxes").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/api/v1/users").then().statusCode(200);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String unsigned(String headerJson, JwtClaims claims) {
        return base64Url(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theLegitimateKeysAreAcceptedSoEveryRefusalBelowIsTheDoors() {
        accepted(rs256(adminClaims(), TestKeys.CURRENT.getPrivate(), TestKeys.CURRENT_KID));
        accepted(rs256(adminClaims(), TestKeys.PREVIOUS.getPrivate(), TestKeys.PREVIOUS_KID));
    }

    @Test
    void tokensSignedWithAnyOtherPrivateKeyOfTheRepositoryAreRefused() throws IOException {
        List<PrivateKey> others = new ArrayList<>();
        for (Path file : filesOfTheRepository()) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.ISO_8859_1);
            } catch (IOException | UncheckedIOException e) {
                continue;
            }
            TestKeys.privateKeyOfPem(text)
                    .filter(key -> !java.util.Arrays.equals(key.getEncoded(), TestKeys.CURRENT.getPrivate().getEncoded()))
                    .ifPresent(others::add);
        }
        others.add(TestKeys.generate().getPrivate()); // and a key nobody was given
        for (PrivateKey key : others) {
            refused(rs256(adminClaims(), key, TestKeys.CURRENT_KID));
            refused(rs256(adminClaims(), key, null));
        }
        assertThat(others).isNotEmpty();
    }

    @Test
    void algNoneIsRefused() {
        refused(unsigned("{\"alg\":\"none\",\"typ\":\"JWT\"}", adminClaims()) + ".");
        refused(unsigned("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + TestKeys.CURRENT_KID + "\"}", adminClaims()) + ".");
    }

    @Test
    void hs256WithThePublicKeyAsTheSecretIsRefused() throws Exception {
        byte[] der = TestKeys.CURRENT.getPublic().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
        for (byte[] secret : List.of(der, pem.getBytes(StandardCharsets.US_ASCII))) {
            String signingInput = unsigned("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + TestKeys.CURRENT_KID + "\"}",
                    adminClaims());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            refused(signingInput + "." + base64Url(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII))));
        }
    }

    @Test
    void anExpiredTokenIsRefused() {
        JwtClaims claims = adminClaims();
        claims.setIssuedAt(NumericDate.fromSeconds(Instant.now().minusSeconds(900).getEpochSecond()));
        // beyond the 60 s clock skew
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().minusSeconds(120).getEpochSecond()));
        refused(rs256(claims, TestKeys.CURRENT.getPrivate(), TestKeys.CURRENT_KID));
    }

    @Test
    void aWrongIssuerIsRefused() {
        JwtClaims claims = adminClaims();
        claims.setIssuer("https://evil.example/issuer");
        refused(rs256(claims, TestKeys.CURRENT.getPrivate(), TestKeys.CURRENT_KID));
    }

    @Test
    void aWrongOrMissingAudienceIsRefused() {
        JwtClaims wrong = adminClaims();
        wrong.setAudience("another-service");
        refused(rs256(wrong, TestKeys.CURRENT.getPrivate(), TestKeys.CURRENT_KID));
        JwtClaims missing = adminClaims();
        missing.unsetClaim("aud");
        refused(rs256(missing, TestKeys.CURRENT.getPrivate(), TestKeys.CURRENT_KID));
    }

    @Test
    void anUnknownKeyIdIsRefused() {
        refused(rs256(adminClaims(), TestKeys.CURRENT.getPrivate(), "unknown-key"));
    }

    @Test
    void aKeyIdNamingAnotherKeyThanTheSignersIsRefused() {
        refused(rs256(adminClaims(), TestKeys.PREVIOUS.getPrivate(), TestKeys.CURRENT_KID));
        refused(rs256(adminClaims(), TestKeys.CURRENT.getPrivate(), TestKeys.PREVIOUS_KID));
    }

    @Test
    void theGatewaysOwnTokensCarryTheAudienceAndTheKeyId() throws Exception {
        String tenant = "sec-" + UUID.randomUUID().toString().substring(0, 8);
        Onboarding.tenant(tenant, tenant + "-admin", "Admin", GatewayIT.PASSWORD);
        String token = Onboarding.login(tenant + "-admin", GatewayIT.PASSWORD);
        String[] parts = token.split("\\.");
        Map<?, ?> header = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(Base64.getUrlDecoder().decode(parts[0]), Map.class);
        Map<?, ?> payload = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
        assertThat(header.get("kid")).isEqualTo(TestKeys.CURRENT_KID);
        assertThat(header.get("alg")).isEqualTo("RS256");
        assertThat(payload.get("aud")).isIn(AUDIENCE, List.of(AUDIENCE));
        assertThat(payload.get("iss")).isEqualTo(ISSUER);
    }

    /** The repository's files (no build output, no local installation data), where a committed key would be. */
    private static List<Path> filesOfTheRepository() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        Set<String> skipped = Set.of(".git", ".infra", "target", "node_modules");
        List<Path> files = new ArrayList<>();
        // The skipped folders are not entered at all: .infra holds the running broker's and database's files,
        // which come and go while a walk passes.
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return skipped.contains(String.valueOf(dir.getFileName())) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && attributes.size() < 1_000_000) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
