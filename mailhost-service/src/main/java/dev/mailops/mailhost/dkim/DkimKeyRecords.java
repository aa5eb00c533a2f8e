package dev.mailops.mailhost.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import dev.mailops.consumer.PoisonRecordException;

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

    private final ObjectMapper json;
    private final JsonSchema schema;

    @Inject
    public DkimKeyRecords(ObjectMapper json) {
        this.json = json;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is missing from the classpath");
            }
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + SCHEMA, e);
        }
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
        JsonNode data;
        try {
            data = json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new PoisonRecordException("DKIM key " + keyId + " is not JSON");
        }
        if (data == null || !data.isObject()) {
            throw new PoisonRecordException("DKIM key " + keyId + " is not a JSON object");
        }
        Set<ValidationMessage> violations = schema.validate(data);
        if (!violations.isEmpty()) {
            // Where and which rule, never the validator's message: some messages quote the value.
            throw new PoisonRecordException("DKIM key " + keyId + " violates DkimPrivateKey v1 at "
                    + violations.stream().map(violation -> violation.getInstanceLocation() + " (" + violation.getType() + ")")
                            .sorted().collect(Collectors.joining(", ")));
        }
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
