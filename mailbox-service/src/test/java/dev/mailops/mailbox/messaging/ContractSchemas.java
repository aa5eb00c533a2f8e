package dev.mailops.mailbox.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.testinfra.LocalInfrastructure;

/** The published JSON Schemas of contract/mailbox-events, read from the repository as an outside consumer would. */
public final class ContractSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig STRICT_FORMATS = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();

    private ContractSchemas() {
    }

    static Path schemaFile(String type, int version) {
        return LocalInfrastructure.repositoryRoot().resolve("contract/mailbox-events/" + type + ".v" + version + ".schema.json");
    }

    /** The validation errors of a record value against its type's schema; empty when it conforms. */
    public static Set<ValidationMessage> validate(String type, int version, String value) {
        try {
            JsonSchema schema = FACTORY.getSchema(Files.readString(schemaFile(type, version)), STRICT_FORMATS);
            return schema.validate(JSON.readTree(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
