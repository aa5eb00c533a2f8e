package dev.mailops.kit.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyEncryptionTest {

    final KeyEncryption encryption = KeyEncryption.fromBase64(KeyEncryption.generate());
    final byte[] secret = "-----private key material-----".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSealedValueOpensWithTheSameKeyAndAssociatedData() {
        String sealed = encryption.seal(secret, "key-1");
        assertThat(encryption.open(sealed, "key-1")).isEqualTo(secret);
        assertThat(sealed).doesNotContain("private key");
    }

    @Test
    void everySealingUsesAFreshNonce() {
        assertThat(encryption.seal(secret, "key-1")).isNotEqualTo(encryption.seal(secret, "key-1"));
    }

    @Test
    void aValueDoesNotOpenForOtherAssociatedDataUnderAnotherKeyOrAltered() {
        String sealed = encryption.seal(secret, "key-1");
        assertThatThrownBy(() -> encryption.open(sealed, "key-2")).isInstanceOf(KeyEncryption.SealedValueException.class);
        KeyEncryption other = KeyEncryption.fromBase64(KeyEncryption.generate());
        assertThatThrownBy(() -> other.open(sealed, "key-1")).isInstanceOf(KeyEncryption.SealedValueException.class);
        byte[] bytes = Base64.getDecoder().decode(sealed);
        bytes[bytes.length - 1] ^= 1;
        String altered = Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> encryption.open(altered, "key-1")).isInstanceOf(KeyEncryption.SealedValueException.class);
        assertThatThrownBy(() -> encryption.open("not base64!", "key-1")).isInstanceOf(KeyEncryption.SealedValueException.class);
    }

    @Test
    void onlyA256BitKeyIsAccepted(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> KeyEncryption.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(IllegalArgumentException.class);
        Path file = dir.resolve("kek");
        String key = KeyEncryption.generate();
        Files.writeString(file, key + "\n");
        assertThat(KeyEncryption.fromFile(file).open(KeyEncryption.fromBase64(key).seal(secret, "k"), "k"))
                .isEqualTo(secret);
    }
}
