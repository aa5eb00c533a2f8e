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

/**
 * The published JSON Schemas of contract/mailbox-events (and of the credentials topic,
 * contract/mailbox-credentials), read from the repository as an outside consumer would.
 */
public final class ContractSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig STRICT_FORMATS = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();

    private ContractSchemas() {
    }

    static Path schemaFile(String family, String type, int version) {
        return LocalInfrastructure.repositoryRoot().resolve("contract/" + family + "/" + type + ".v" + version + ".schema.json");
    }

    /** The validation errors of a mailbox.events record value against its type's schema; empty when it conforms. */
    public static Set<ValidationMessage> validate(String type, int version, String value) {
        return validate("mailbox-events", type, version, value);
    }

    /** The validation errors of a record value against the schema of its family and type. */
    public static Set<ValidationMessage> validate(String family, String type, int version, String value) {
        return validate(family, type, version, value, STRICT_FORMATS);
    }

    /**
     * The same with formats as annotations only, as draft 2020-12 has them by default: for the schemas'
     * examples, whose addresses are at the reserved top-level domain {@code .example}, which the strict
     * email format refuses.
     */
    public static Set<ValidationMessage> validateExample(String family, String type, int version, String value) {
        return validate(family, type, version, value, SchemaValidatorsConfig.builder().build());
    }

    private static Set<ValidationMessage> validate(String family, String type, int version, String value,
            SchemaValidatorsConfig config) {
        try {
            JsonSchema schema = FACTORY.getSchema(Files.readString(schemaFile(family, type, version)), config);
            return schema.validate(JSON.readTree(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
