package dev.mailops.mailhost.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import dev.mailops.consumer.PoisonRecordException;

/**
 * The published schema of a record value on mailbox.credentials, which may hold a secret: a value that
 * is not a JSON object of the schema is poison, and the reason names where and which rule failed, never
 * the value or the validator's message (some messages quote the value).
 */
public final class SecretRecordSchema {

    private final String name;
    private final JsonSchema schema;
    private final ObjectMapper json;

    private SecretRecordSchema(String name, JsonSchema schema, ObjectMapper json) {
        this.name = name;
        this.schema = schema;
        this.json = json;
    }

    /** @param resource the schema on the classpath; @param name how reasons name it, e.g. "MailboxCredential v1" */
    public static SecretRecordSchema load(String resource, String name, ObjectMapper json) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return new SecretRecordSchema(name, JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in),
                    json);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    /** The value as a JSON object of the schema; @param what names the record in a poison reason */
    public JsonNode read(String value, String what) {
        JsonNode data;
        try {
            data = json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new PoisonRecordException(what + " is not JSON");
        }
        if (data == null || !data.isObject()) {
            throw new PoisonRecordException(what + " is not a JSON object");
        }
        Set<ValidationMessage> violations = schema.validate(data);
        if (!violations.isEmpty()) {
            throw new PoisonRecordException(what + " violates " + name + " at "
                    + violations.stream().map(violation -> violation.getInstanceLocation() + " (" + violation.getType() + ")")
                            .sorted().collect(Collectors.joining(", ")));
        }
        return data;
    }
}
