package dev.mailops.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A DKIM key-encryption key for one test or harness run, written as {@code ./mailops up} writes the
 * installation's: 32 random bytes in base64, in a file only its owner may read.
 */
public final class KeyEncryptionKeyFile {

    private KeyEncryptionKeyFile() {
    }

    /** Writes a fresh key to {@code file} (its folder is created) and returns the file. */
    public static Path writeNew(Path file) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the DKIM key-encryption key " + file, e);
        }
    }
}
