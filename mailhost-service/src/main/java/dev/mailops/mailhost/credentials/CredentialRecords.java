package dev.mailops.mailhost.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
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
 * Reads a record of the compacted topic mailbox.credentials: the key is the mailbox id; a null value
 * is a tombstone whatever the headers say; any other value must be a MailboxCredential (its published
 * schema) of that mailbox. A record that is neither is poison. No message here ever holds the value:
 * it may hold a hash.
 */
@ApplicationScoped
public class CredentialRecords {

    static final String SCHEMA = "contract/mailbox-credentials/MailboxCredential.v1.schema.json";

    private final ObjectMapper json;
    private final JsonSchema schema;

    @Inject
    public CredentialRecords(ObjectMapper json) {
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

    /** @param timestamp the record's timestamp, kept as the time of the credential */
    public CredentialChange read(String key, String value, Instant timestamp) {
        UUID mailboxId = mailboxId(key);
        if (value == null) {
            return new CredentialChange.Revoked(mailboxId);
        }
        JsonNode data;
        try {
            data = json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new PoisonRecordException("credential of " + mailboxId + " is not JSON");
        }
        if (data == null || !data.isObject()) {
            throw new PoisonRecordException("credential of " + mailboxId + " is not a JSON object");
        }
        Set<ValidationMessage> violations = schema.validate(data);
        if (!violations.isEmpty()) {
            // Where and which rule, never the validator's message: some messages quote the value.
            throw new PoisonRecordException("credential of " + mailboxId + " violates MailboxCredential v1 at "
                    + violations.stream().map(violation -> violation.getInstanceLocation() + " (" + violation.getType() + ")")
                            .sorted().collect(Collectors.joining(", ")));
        }
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
