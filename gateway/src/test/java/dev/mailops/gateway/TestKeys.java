package dev.mailops.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * The keys the gateway under test verifies tokens with: its own test key pair (test resources, kid
 * {@value #CURRENT_KID}, which it also signs with), and a "previous" key generated for the run (kid
 * {@value #PREVIOUS_KID}), as after a rotation, when tokens signed with the old key are still valid. Both
 * public keys are in one JWKS that {@link RunningServices} hands to the gateway.
 */
final class TestKeys {

    static final String CURRENT_KID = "gateway-test";
    static final String PREVIOUS_KID = "gateway-previous";
    static final KeyPair CURRENT = new KeyPair(publicKey(pemBody(resource("dev/jwt-public.pem"))),
            privateKey(pemBody(resource("dev/jwt-private.pem"))).orElseThrow());
    static final KeyPair PREVIOUS = generate();

    private TestKeys() {
    }

    /** Writes the JWKS with both public keys; returns its path. */
    static Path writeJwks(Path file) {
        try {
            RsaJsonWebKey current = new RsaJsonWebKey((RSAPublicKey) CURRENT.getPublic());
            current.setKeyId(CURRENT_KID);
            RsaJsonWebKey previous = new RsaJsonWebKey((RSAPublicKey) PREVIOUS.getPublic());
            previous.setKeyId(PREVIOUS_KID);
            Files.createDirectories(file.getParent());
            Files.writeString(file, new JsonWebKeySet(List.<JsonWebKey>of(current, previous)).toJson());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA private key in PKCS#8 PEM (BEGIN PRIVATE KEY), or empty when the text holds none that parses. */
    static Optional<PrivateKey> privateKeyOfPem(String pem) {
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            return Optional.empty();
        }
        String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end);
        try {
            return privateKey(body.replaceAll("[^A-Za-z0-9+/=]", ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<PrivateKey> privateKey(String base64) {
        try {
            return Optional.of(KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pemBody(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    private static String resource(String name) {
        try (InputStream in = TestKeys.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
