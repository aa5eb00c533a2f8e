package dev.mailops.mailbox.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mailops.mailbox.domain.InvalidValue;

/** The hashes a migration may bring: the three schemes Dovecot verifies, in their exact forms, nothing else. */
class DovecotHashesTest {

    /** Made by Dovecot's own {@code doveadm pw} for the password Correct-Horse-9. */
    static final String BLF_CRYPT_COST_5 = "{BLF-CRYPT}$2y$05$2ZILhgzYq3k8QTJs2EEylOHT/ALHp2WjtM.5fYK55FKZiG4VAW.Ki";
    static final String BLF_CRYPT_COST_10 = "{BLF-CRYPT}$2y$10$soHbjwk7Am50hfEZ31ki/OKZRkHY3W5XIPpCp27kyi4uejMfYckIe";
    static final String SHA512_CRYPT = "{SHA512-CRYPT}$6$03srfOqkkLR6.Y1G$Wiag/sbRCxTAfc9D42sQg1OuxA6S5iQg2mlTt0uaHpVj8Cw"
            + ".n/.IccwR64dn9bmnhMdCtTI9ieEwRLk47T0FA1";

    @Test
    void acceptsEachSchemeInItsForm() {
        String argon2id = new PasswordHasher(19456, 2, 1, java.util.Optional.empty()).hash("Correct-Horse-9");
        String withRounds = SHA512_CRYPT.replace("$6$", "$6$rounds=10000$");

        for (String hash : new String[] { argon2id, BLF_CRYPT_COST_5, BLF_CRYPT_COST_10, SHA512_CRYPT, withRounds,
                BLF_CRYPT_COST_10.replace("$2y$", "$2b$") }) {
            assertThat(DovecotHashes.check(hash)).isEqualTo(hash);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Correct-Horse-9", // plain text
            "{PLAIN}Correct-Horse-9", "{CLEARTEXT}Correct-Horse-9", "{CRYPT}abcdefghijklm", "{MD5-CRYPT}$1$abc$def",
            "{SHA256-CRYPT}$5$salt$hash", "{SSHA512}c2FsdA==", // schemes Dovecot knows but no import may bring
            "{ARGON2ID}Correct-Horse-9", "{BLF-CRYPT}Correct-Horse-9", "{SHA512-CRYPT}Correct-Horse-9", // disguised
            "{argon2id}$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K6/9xqPmf0UOIhhO4Pq3RQ6QYs5g1t4Zy6N2o0kC7sE",
            "{ARGON2ID}$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K6/9xqPmf0UOIhhO4Pq3RQ6QYs5g1t4Zy6N2o0kC7sE",
            "{ARGON2ID}$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K6/9xqPmf0UOIhhO4Pq3RQ6QYs5g1t4Zy6N2o0kC7sE",
            "{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K6/9xqPmf0UOIhhO4Pq3RQ6QYs5g1t4Zy6N2o0kC7sE ",
            "{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K6/9", // hash too short
            "{ARGON2ID}$argon2id$v=19$m=1048576,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K6/9xqPmf0UOIhhO4Pq3RQ6QYs5g1t4Zy6N2o0kC7sE",
            "{ARGON2ID}$argon2id$v=19$m=19456,t=99,p=1$c29tZXNhbHRzb21lc2FsdA$K6/9xqPmf0UOIhhO4Pq3RQ6QYs5g1t4Zy6N2o0kC7sE",
            "{BLF-CRYPT}$2y$04$2ZILhgzYq3k8QTJs2EEylOHT/ALHp2WjtM.5fYK55FKZiG4VAW.Ki", // cost too low
            "{BLF-CRYPT}$2y$31$2ZILhgzYq3k8QTJs2EEylOHT/ALHp2WjtM.5fYK55FKZiG4VAW.Ki", // cost too high
            "{BLF-CRYPT}$2x$10$soHbjwk7Am50hfEZ31ki/OKZRkHY3W5XIPpCp27kyi4uejMfYckIe",
            "{BLF-CRYPT}$2y$10$soHbjwk7Am50hfEZ31ki/OKZRkHY3W5XIPpCp27kyi4uejMfYckI", // one short
            "{SHA512-CRYPT}$6$rounds=10$03srfOqkkLR6.Y1G$Wiag/sbRCxTAfc9D42sQg1OuxA6S5iQg2mlTt0uaHpVj8Cw.n/.IccwR64dn9bmnhMdCtTI9ieEwRLk47T0FA1",
            "{SHA512-CRYPT}$6$03srfOqkkLR6.Y1G$Wiag/sbRCxTAfc9D42sQg1OuxA6S5iQg2mlTt0uaHpVj8Cw.n/.IccwR64dn9bmnhMdCtTI9ieEwRLk47T0FA",
            "{SHA512-CRYPT}$6$03srf\nOqkkLR6.Y1G$Wiag/sbRCxTAfc9D42sQg1OuxA6S5iQg2mlTt0uaHpVj8Cw.n/.IccwR64dn9bmnhMdCtTI9ieEwRLk47T0FA1",
            "" })
    void refusesEverythingElseWithoutEchoingIt(String hash) {
        assertThatThrownBy(() -> DovecotHashes.check(hash)).isInstanceOf(InvalidValue.class)
                .satisfies(e -> {
                    if (hash.length() > 12) {
                        assertThat(e.getMessage()).doesNotContain(hash.substring(hash.length() - 12));
                    }
                });
    }

    @Test
    void refusesAHashLongerThanTheCredentialColumn() {
        assertThatThrownBy(() -> DovecotHashes.check("{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$" + "A".repeat(300)))
                .isInstanceOf(InvalidValue.class).hasMessageContaining("at most 255");
    }
}
