package dev.mailops.mailbox.domain;

import java.util.Arrays;

/** A DKIM signing algorithm (RFC 6376 a=) with the key type its TXT record names (k=). */
public enum DkimAlgorithm {
    /** RSA-2048; p= is the DER SubjectPublicKeyInfo. */
    RSA_SHA256("rsa-sha256", "rsa"),
    /** Ed25519 (RFC 8463); p= is the raw 32-byte public key. */
    ED25519_SHA256("ed25519-sha256", "ed25519");

    private final String id;
    private final String keyType;

    DkimAlgorithm(String id, String keyType) {
        this.id = id;
        this.keyType = keyType;
    }

    /** The algorithm of its a= name, such as {@code rsa-sha256}. */
    public static DkimAlgorithm of(String id) {
        return Arrays.stream(values()).filter(algorithm -> algorithm.id.equals(id)).findFirst()
                .orElseThrow(() -> new InvalidValue("unknown DKIM algorithm '" + id + "'; choose one of "
                        + Arrays.stream(values()).map(DkimAlgorithm::id).toList()));
    }

    public String id() {
        return id;
    }

    public String keyType() {
        return keyType;
    }
}
