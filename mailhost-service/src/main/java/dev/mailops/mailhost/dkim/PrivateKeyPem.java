package dev.mailops.mailhost.dkim;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A private key in PKCS#8 DER as the PEM text OpenDKIM reads from a key file ({@code -----BEGIN
 * PRIVATE KEY-----}, RFC 7468): OpenSSL's PEM_read_bio_PrivateKey, which OpenDKIM 2.11 uses, takes an
 * RSA and an Ed25519 key alike in this form.
 */
public final class PrivateKeyPem {

    private PrivateKeyPem() {
    }

    public static byte[] encode(byte[] pkcs8Der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8Der);
        return ("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }
}
