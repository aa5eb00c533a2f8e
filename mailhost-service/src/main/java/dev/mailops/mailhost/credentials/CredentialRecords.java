package dev.mailops.mailhost.credentials;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.consumer.PoisonRecordException;

/**
 * Reads a record of the compacted topic mailbox.credentials: the key is the mailbox id; a null value
 * is a tombstone whatever the headers say; any other value must be a MailboxCredential (its published
 * schema) of that mailbox. A record that is neither is poison. No message here ever holds the value:
 * it may hold a hash.
 */
@ApplicationScoped
public class CredentialRecords {

    static final String SCHEMA = "contract/mailbox-credentials/MailboxCredential.v1.schema.json";

    private final SecretRecordSchema schema;

    @Inject
    public CredentialRecords(ObjectMapper json) {
        this.schema = SecretRecordSchema.load(SCHEMA, "MailboxCredential v1", json);
    }

    /** @param timestamp the record's timestamp, kept as the time of the credential */
    public CredentialChange read(String key, String value, Instant timestamp) {
        UUID mailboxId = mailboxId(key);
        if (value == null) {
            return new CredentialChange.Revoked(mailboxId);
        }
        JsonNode data = schema.read(value, "credential of " + mailboxId);
        if (!mailboxId.toString().equals(data.get("mailboxId").asText())) {
            throw new PoisonRecordException("credential under the key " + mailboxId + " names another mailbox");
        }
        return new CredentialChange.Credential(mailboxId, data.get("passwordHash").asText(), timestamp);
    }

    private static UUID mailboxId(String key) {
        try {
            if (key != null) {
                UUID id = UUID.fromString(key);
                if (id.toString().equals(key)) {
                    return id;
                }
            }
        } catch (IllegalArgumentException notAUuid) {
            // falls through
        }
        throw new PoisonRecordException("credential record key is not a mailbox id (lower-case UUID): " + key);
    }
}
