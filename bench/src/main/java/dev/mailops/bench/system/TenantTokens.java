package dev.mailops.bench.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * The harness as the gateway's identity provider: it generates the key pair the gateway it starts
 * verifies tokens with, and signs a token per tenant itself, so a run can have 1,000 tenants without a
 * user directory entry (and login throttle) for each. The gateway checks these tokens exactly like
 * the ones its own login issues.
 */
public final class TenantTokens {

    public static final String ISSUER = "https://mailops.local/gateway";
    /** The audience the gateway requires ({@code gateway.token.audience}). */
    public static final String AUDIENCE = "mailops";
    private final KeyPair keys;
    private final Path publicKeyFile;
    private final Path privateKeyFile;

    public TenantTokens(Path directory) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            Files.createDirectories(directory);
            publicKeyFile = directory.resolve("jwt-public.pem");
            privateKeyFile = directory.resolve("jwt-private.pem");
            Files.writeString(publicKeyFile, pem("PUBLIC KEY", keys.getPublic().getEncoded()));
            Files.writeString(privateKeyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path publicKeyFile() {
        return publicKeyFile;
    }

    public Path privateKeyFile() {
        return privateKeyFile;
    }

    /** A bearer token for an admin of the tenant, valid for two hours. */
    public String adminToken(String tenant) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject("bench-admin");
        claims.setClaim("upn", "bench-admin@" + tenant);
        claims.setClaim("tenant", tenant);
        claims.setStringListClaim("groups", List.of("admin"));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(120);
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
