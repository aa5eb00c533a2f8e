package dev.mailops.kit.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets at rest and in transit with AES-256-GCM under a key-encryption key from configuration:
 * {@code base64(nonce ‖ ciphertext ‖ tag)}, with a fresh 96-bit nonce each time. The associated data
 * binds a sealed value to what it belongs to (a key id), so a value copied to another row does not open.
 */
public final class KeyEncryption {

    public static final String ALGORITHM = "A256GCM";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private KeyEncryption(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("A key-encryption key has 32 bytes (256 bits), not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The key in base64 (standard alphabet), as {@link #generate()} writes it. */
    public static KeyEncryption fromBase64(String base64) {
        try {
            return new KeyEncryption(Base64.getDecoder().decode(base64.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The key-encryption key is not 32 bytes in base64", e);
        }
    }

    /** Reads the key from a file holding it in base64, such as a mounted Secret. */
    public static KeyEncryption fromFile(Path file) {
        try {
            return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the key-encryption key file " + file, e);
        }
    }

    /** A fresh random key in base64, for a new installation or a test. */
    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public String seal(byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @throws SealedValueException when the value was sealed under another key or associated data, or altered */
    public byte[] open(String sealed, String associatedData) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new SealedValueException("the sealed value is not base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealedValueException("the sealed value is too short");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES), associatedData)
                    .doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealedValueException("the sealed value does not open with this key for " + associatedData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String associatedData) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    @Override
    public String toString() {
        return "KeyEncryption[" + ALGORITHM + "]";
    }

    /** A sealed value that does not open: altered, or sealed under another key or for something else. */
    public static final class SealedValueException extends RuntimeException {
        public SealedValueException(String message) {
            super(message);
        }
    }
}
