package dev.mailops.mailhost.dkim;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.consumer.PoisonRecordException;
import dev.mailops.mailhost.credentials.SecretRecordSchema;

/**
 * Reads a record of mailbox.credentials whose key is {@code dkim:<keyId>}: a null value is a tombstone
 * whatever the headers say; any other value must be a DkimPrivateKey (its published schema) of that
 * key. A record that is neither is poison. No message here ever holds the value.
 */
@ApplicationScoped
public class DkimKeyRecords {

    /** The record key's prefix that tells a DKIM key from a mailbox's credential. */
    public static final String KEY_PREFIX = "dkim:";
    static final String SCHEMA = "contract/mailbox-credentials/DkimPrivateKey.v1.schema.json";

    private final SecretRecordSchema schema;

    @Inject
    public DkimKeyRecords(ObjectMapper json) {
        this.schema = SecretRecordSchema.load(SCHEMA, "DkimPrivateKey v1", json);
    }

    public static boolean isDkimKey(String recordKey) {
        return recordKey != null && recordKey.startsWith(KEY_PREFIX);
    }

    /** @param timestamp the record's timestamp, kept as the time the key was received */
    public DkimKeyChange read(String key, String value, Instant timestamp) {
        UUID keyId = keyId(key);
        if (value == null) {
            return new DkimKeyChange.Removed(keyId);
        }
        JsonNode data = schema.read(value, "DKIM key " + keyId);
        if (!keyId.toString().equals(data.get("keyId").asText())) {
            throw new PoisonRecordException("DKIM key under the record key dkim:" + keyId + " names another key");
        }
        return new DkimKeyChange.SealedKey(keyId, data.get("domain").asText().toLowerCase(Locale.ROOT),
                data.get("selector").asText(), data.get("algorithm").asText(), data.get("sealedPrivateKey").asText(),
                timestamp);
    }

    private static UUID keyId(String key) {
        String id = key == null ? null : key.substring(Math.min(key.length(), KEY_PREFIX.length()));
        try {
            if (isDkimKey(key)) {
                UUID keyId = UUID.fromString(id);
                if (keyId.toString().equals(id)) {
                    return keyId;
                }
            }
        } catch (IllegalArgumentException notAUuid) {
            // falls through
        }
        throw new PoisonRecordException("DKIM key record key is not dkim:<keyId> (lower-case UUID): " + key);
    }
}
