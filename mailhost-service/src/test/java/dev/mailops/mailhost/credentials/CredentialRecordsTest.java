package dev.mailops.mailhost.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.consumer.PoisonRecordException;

class CredentialRecordsTest {

    static final UUID ID = UUID.fromString("2f1c7e0a-6d7b-4c39-9a55-1b0a3c9e8d11");
    static final String HASH = "{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K6/9xqPmf0UOIhhO4Pq3RQ6QYs5g1t4Zy6N2o0kC7sE";
    static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");

    final CredentialRecords records = new CredentialRecords(new ObjectMapper());

    static String value(String mailboxId, String hash) {
        return "{\"mailboxId\":\"" + mailboxId + "\",\"address\":\"anna@shop.example\",\"passwordHash\":\"" + hash + "\"}";
    }

    @Test
    void aCredentialIsTheMailboxsHash() {
        CredentialChange change = records.read(ID.toString(), value(ID.toString(), HASH), AT);

        assertThat(change).isEqualTo(new CredentialChange.Credential(ID, HASH, AT));
    }

    @Test
    void aNullValueIsATombstone() {
        assertThat(records.read(ID.toString(), null, AT)).isEqualTo(new CredentialChange.Revoked(ID));
    }

    @Test
    void theHashNeverShowsInToString() {
        String shown = records.read(ID.toString(), value(ID.toString(), HASH), AT).toString();

        assertThat(shown).contains(ID.toString()).doesNotContain("argon2id").doesNotContain("K6/9xqPmf0");
    }

    @Test
    void aRecordThatIsNoCredentialIsPoisonAndItsMessageHoldsNoValue() {
        String otherId = UUID.randomUUID().toString();
        assertThatThrownBy(() -> records.read("not-a-uuid", value(ID.toString(), HASH), AT))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> records.read(ID.toString().toUpperCase(), value(ID.toString(), HASH), AT))
                .isInstanceOf(PoisonRecordException.class);
        assertThatThrownBy(() -> records.read(ID.toString(), value(otherId, HASH), AT))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("another mailbox")
                .hasMessageNotContaining("argon2id");
        assertThatThrownBy(() -> records.read(ID.toString(), value(ID.toString(), "{PLAIN}secret-horse"), AT))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("passwordHash")
                .hasMessageNotContaining("secret-horse");
        assertThatThrownBy(() -> records.read(ID.toString(), "{not json", AT))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> records.read(ID.toString(), "[1]", AT)).isInstanceOf(PoisonRecordException.class);
    }
}
