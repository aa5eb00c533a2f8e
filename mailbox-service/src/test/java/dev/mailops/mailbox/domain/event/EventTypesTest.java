package dev.mailops.mailbox.domain.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.mailops.testinfra.LocalInfrastructure;

/** The event type names are the wire format: each one is published with its schema, and nothing else is. */
class EventTypesTest {

    static final Path SCHEMAS = LocalInfrastructure.repositoryRoot().resolve("contract/mailbox-events");
    static final Pattern SCHEMA_FILE = Pattern.compile("(\\w+)\\.v\\d+\\.schema\\.json");

    @Test
    void everyEventClassHasAnExplicitName() {
        assertThat(MailboxEvent.TYPES.values())
                .containsExactlyInAnyOrder(Arrays.stream(MailboxEvent.class.getPermittedSubclasses())
                        .map(type -> type.asSubclass(MailboxEvent.class)).toArray(Class[]::new));
    }

    @Test
    void theNamesAreThePublishedOnes() {
        assertThat(MailboxEvent.TYPES.keySet()).containsExactlyInAnyOrder("DomainAdded", "DomainVerified", "DomainClaimExpired", "MailboxCreated",
                "AliasAdded", "AliasRemoved", "MailboxDeleted", "FeeChanged", "AddressReleased", "PasswordChanged",
                "RateChanged", "DkimKeyGenerated", "DkimKeyPublished", "DkimSelectorActivated", "DkimKeyRetired");
    }

    @Test
    void everyTypeHasItsSchemaAndEverySchemaItsType() throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            assertThat(files.map(file -> file.getFileName().toString())
                    .map(name -> SCHEMA_FILE.matcher(name))
                    .filter(Matcher::matches)
                    .map(file -> file.group(1))
                    .collect(Collectors.toSet()))
                    .as("event types with a schema in %s", SCHEMAS)
                    .isEqualTo(MailboxEvent.TYPES.keySet());
        }
        MailboxEvent.TYPES.keySet().forEach(type -> assertThat(SCHEMAS.resolve(type + ".v1.schema.json"))
                .as("the schema of the version every type has now").exists());
    }

    @Test
    void anEventNamesItsTypeAndItsTypeNamesItsClass() {
        MailboxEvent event = new DomainAdded("shop.example");
        assertThat(event.type()).isEqualTo("DomainAdded");
        assertThat(MailboxEvent.classOf("DomainAdded")).isEqualTo(DomainAdded.class);
        MailboxEvent.TYPES.forEach((name, type) -> assertThat(MailboxEvent.classOf(name)).isEqualTo(type));
    }
}
