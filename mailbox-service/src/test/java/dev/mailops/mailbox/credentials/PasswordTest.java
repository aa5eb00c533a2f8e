package dev.mailops.mailbox.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mailops.mailbox.domain.InvalidValue;

class PasswordTest {

    private final PasswordHasher hasher = new PasswordHasher(4096, 1, 1, java.util.Optional.empty());

    @Test
    void hashesInDovecotsArgon2idFormatAndVerifies() {
        String hash = hasher.hash("Correct-Horse-9");
        assertThat(hash).matches("\\{ARGON2ID}\\$argon2id\\$v=19\\$m=4096,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("Correct-Horse-9", hash)).isTrue();
        assertThat(hasher.verify("Correct-Horse-8", hash)).isFalse();
        assertThat(hasher.hash("Correct-Horse-9")).isNotEqualTo(hash); // salted
    }

    @Test
    void matchesTheArgon2idReferenceVector() {
        // RFC 9106 is for raw Argon2; this PHC string was produced by the reference `argon2` CLI:
        // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1
        String reference = "{ARGON2ID}$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.verify("password", reference)).isTrue();
    }

    @Test
    void anIndependentArgon2idComputesTheSameHashFromItsSaltAndCost() {
        String[] phc = hasher.hash("Correct-Horse-9").split("\\$");
        byte[] salt = Base64.getDecoder().decode(phc[4]);
        Argon2BytesGenerator bouncyCastle = new Argon2BytesGenerator();
        bouncyCastle.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(4096).withIterations(1)
                .withParallelism(1).withSalt(salt).build());
        byte[] expected = new byte[32];
        bouncyCastle.generateBytes("Correct-Horse-9".getBytes(StandardCharsets.UTF_8), expected);

        assertThat(Base64.getDecoder().decode(phc[5])).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "short1A!", "alllowercaseletters", "ALLUPPER12345", "lower and spaces" })
    void refusesWeakPasswords(String password) {
        assertThatThrownBy(() -> PasswordPolicy.check(password, "anna")).isInstanceOf(InvalidValue.class);
    }

    @Test
    void refusesAPasswordContainingTheLocalPart() {
        assertThatThrownBy(() -> PasswordPolicy.check("Anna-2026-secret", "anna"))
                .hasMessageContaining("email address");
    }

    @Test
    void acceptsAStrongPassphrase() {
        assertThatCode(() -> PasswordPolicy.check("Correct horse battery 9", "anna")).doesNotThrowAnyException();
    }
}
