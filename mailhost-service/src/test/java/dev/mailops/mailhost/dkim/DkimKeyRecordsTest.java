package dev.mailops.mailhost.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.consumer.PoisonRecordException;

class DkimKeyRecordsTest {

    static final UUID KEY_ID = UUID.fromString("0b6f3c1e-3f1a-4d0e-9a63-2d7c1f5e8a90");
    static final String SEALED = "q83vEjRWeJq83vEjRWeJq83vEjRWeJSECRETSEALED";
    static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");

    final DkimKeyRecords records = new DkimKeyRecords(new ObjectMapper());

    static String value(String keyId, String algorithm, String sealed) {
        return "{\"keyId\":\"" + keyId + "\",\"domain\":\"Shop.Example\",\"selector\":\"mbo0002\",\"algorithm\":\""
                + algorithm + "\",\"encryption\":\"A256GCM\",\"sealedPrivateKey\":\"" + sealed + "\",\"later\":1}";
    }

    @Test
    void aRecordIsTheDomainsSealedKeyUnderItsSelector() {
        DkimKeyChange change = records.read("dkim:" + KEY_ID, value(KEY_ID.toString(), "rsa-sha256", SEALED), AT);

        assertThat(change).isEqualTo(new DkimKeyChange.SealedKey(KEY_ID, "shop.example", "mbo0002", "rsa-sha256", SEALED, AT));
    }

    @Test
    void aNullValueIsATombstone() {
        assertThat(records.read("dkim:" + KEY_ID, null, AT)).isEqualTo(new DkimKeyChange.Removed(KEY_ID));
    }

    @Test
    void onlyKeysWithTheDkimPrefixAreDkimKeys() {
        assertThat(DkimKeyRecords.isDkimKey("dkim:" + KEY_ID)).isTrue();
        assertThat(DkimKeyRecords.isDkimKey(KEY_ID.toString())).isFalse();
        assertThat(DkimKeyRecords.isDkimKey(null)).isFalse();
    }

    @Test
    void theSealedKeyNeverShowsInToString() {
        String shown = records.read("dkim:" + KEY_ID, value(KEY_ID.toString(), "ed25519-sha256", SEALED), AT).toString();

        assertThat(shown).contains(KEY_ID.toString()).doesNotContain(SEALED);
    }

    @Test
    void aRecordThatIsNoDkimKeyIsPoisonAndItsMessageHoldsNoValue() {
        assertThatThrownBy(() -> records.read("dkim:not-a-uuid", value(KEY_ID.toString(), "rsa-sha256", SEALED), AT))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("record key");
        assertThatThrownBy(() -> records.read("dkim:" + KEY_ID.toString().toUpperCase(), value(KEY_ID.toString(), "rsa-sha256", SEALED), AT))
                .isInstanceOf(PoisonRecordException.class);
        assertThatThrownBy(() -> records.read("dkim:" + KEY_ID, value(UUID.randomUUID().toString(), "rsa-sha256", SEALED), AT))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("another key").hasMessageNotContaining(SEALED);
        assertThatThrownBy(() -> records.read("dkim:" + KEY_ID, value(KEY_ID.toString(), "rsa-sha1", SEALED), AT))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("algorithm").hasMessageNotContaining(SEALED);
        assertThatThrownBy(() -> records.read("dkim:" + KEY_ID, value(KEY_ID.toString(), "rsa-sha256", "-----BEGIN PRIVATE KEY-----"), AT))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("sealedPrivateKey")
                .hasMessageNotContaining("BEGIN PRIVATE KEY");
        assertThatThrownBy(() -> records.read("dkim:" + KEY_ID, "{not json " + SEALED, AT))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("not JSON").hasMessageNotContaining(SEALED);
    }
}
