package dev.mailops.mailbox.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.mailops.mailbox.domain.event.MailboxEvent;
import dev.mailops.testinfra.LocalInfrastructure;

/**
 * What contract/asyncapi.yaml says about the topics this service publishes: every event type on
 * mailbox.events and in its publication, and mailbox.credentials compacted, keyed by mailbox id and
 * restricted to mailhost-service. (deploy-check validates the document as a whole.)
 */
class PublishedChannelsTest {

    static final JsonNode ASYNCAPI = read();

    @Test
    void everyEventTypeIsAMessageOfMailboxEventsAndOfItsPublication() {
        JsonNode channel = ASYNCAPI.at("/channels/mailbox.events/messages");
        assertThat(names(channel)).containsExactlyInAnyOrderElementsOf(MailboxEvent.TYPES.keySet());
        List<String> published = new ArrayList<>();
        ASYNCAPI.at("/operations/publishMailboxEvents/messages")
                .forEach(message -> published.add(message.get("$ref").asText().replaceAll(".*/", "")));
        assertThat(published).containsExactlyInAnyOrderElementsOf(MailboxEvent.TYPES.keySet());
        MailboxEvent.TYPES.keySet().forEach(type -> assertThat(
                ASYNCAPI.at("/components/messages/" + type + "/payload/$ref").asText())
                .isEqualTo("./mailbox-events/" + type + ".v1.schema.json"));
    }

    @Test
    void theCredentialsChannelIsCompactedKeyedByMailboxAndRestrictedToMailhostService() {
        JsonNode channel = ASYNCAPI.at("/channels/mailbox.credentials");
        assertThat(channel.at("/x-mailops-restricted/readers")).extracting(JsonNode::asText)
                .containsExactly("mailhost-service");
        assertThat(channel.at("/x-mailops-restricted/writers")).extracting(JsonNode::asText)
                .containsExactly("mailbox-service");
        assertThat(channel.get("description").asText()).contains("Restricted").containsIgnoringCase("only `mailhost-service` may read")
                .contains("ACL");
        assertThat(channel.at("/bindings/kafka/topicConfiguration/cleanup.policy")).extracting(JsonNode::asText)
                .containsExactly("compact");
        assertThat(names(channel.get("messages"))).containsExactlyInAnyOrder("MailboxCredential",
                "MailboxCredentialTombstone", "DkimPrivateKey", "DkimPrivateKeyTombstone");
        assertThat(ASYNCAPI.at("/components/messages/DkimPrivateKey/payload/$ref").asText())
                .isEqualTo("./mailbox-credentials/DkimPrivateKey.v1.schema.json");
        assertThat(ASYNCAPI.at("/components/messageTraits/dkimPrivateKey/bindings/kafka/key/pattern").asText())
                .startsWith("^dkim:");
        assertThat(ASYNCAPI.at("/components/messages/MailboxCredential/payload/$ref").asText())
                .isEqualTo("./mailbox-credentials/MailboxCredential.v1.schema.json");
        assertThat(ASYNCAPI.at("/components/messages/MailboxCredentialTombstone/payload/type").asText())
                .isEqualTo("null");
        assertThat(ASYNCAPI.at("/operations/receiveMailboxCredentialsForMailhost/bindings/kafka/groupId/enum"))
                .extracting(JsonNode::asText).containsExactly("mailhost-service");
        List<String> readers = new ArrayList<>();
        ASYNCAPI.get("operations").properties().forEach(operation -> {
            if (operation.getValue().at("/channel/$ref").asText().equals("#/channels/mailbox.credentials")
                    && operation.getValue().get("action").asText().equals("receive")) {
                readers.add(operation.getKey());
            }
        });
        assertThat(readers).containsExactly("receiveMailboxCredentialsForMailhost");
    }

    private static List<String> names(JsonNode messages) {
        List<String> names = new ArrayList<>();
        messages.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory())
                    .readTree(LocalInfrastructure.repositoryRoot().resolve("contract/asyncapi.yaml").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
