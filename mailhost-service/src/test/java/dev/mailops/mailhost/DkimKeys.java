package dev.mailops.mailhost;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import dev.mailops.kit.secrets.KeyEncryption;

/**
 * DKIM key pairs made as mailbox-service makes them (RSA-2048 or Ed25519 in Java, the private key in
 * PKCS#8 DER sealed with {@link KeyEncryption} under the key id), with the TXT record DNS would serve.
 */
final class DkimKeys {

    /** One key pair of a domain's selector, as the events and the sealed record carry it. */
    record Pair(UUID keyId, String domain, String selector, String algorithm, String publicKey, String record,
            String sealedPrivateKey, String privateKeyBase64) {
        @Override
        public String toString() {
            return "Pair[" + keyId + ", " + domain + ", " + selector + ", " + algorithm + "]";
        }
    }

    private DkimKeys() {
    }

    static Pair rsa(KeyEncryption encryption, String domain, String selector) {
        return generate(encryption, domain, selector, "rsa-sha256");
    }

    static Pair ed25519(KeyEncryption encryption, String domain, String selector) {
        return generate(encryption, domain, selector, "ed25519-sha256");
    }

    private static Pair generate(KeyEncryption encryption, String domain, String selector, String algorithm) {
        try {
            boolean rsa = algorithm.equals("rsa-sha256");
            KeyPairGenerator generator = KeyPairGenerator.getInstance(rsa ? "RSA" : "Ed25519");
            if (rsa) {
                generator.initialize(2048);
            }
            KeyPair pair = generator.generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            // p= of an Ed25519 key is the raw 32-byte key: the end of its SubjectPublicKeyInfo.
            String publicKey = Base64.getEncoder().encodeToString(rsa ? spki : Arrays.copyOfRange(spki, spki.length - 32, spki.length));
            UUID keyId = UUID.randomUUID();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            return new Pair(keyId, domain, selector, algorithm, publicKey,
                    "v=DKIM1; k=" + (rsa ? "rsa" : "ed25519") + "; p=" + publicKey,
                    encryption.seal(pkcs8, keyId.toString()), Base64.getEncoder().encodeToString(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
