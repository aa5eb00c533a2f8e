package dev.mailops.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/** The local broker must be the Kafka version whose clients the Quarkus BOM gives the services. */
class KafkaVersionTest {

    @Test
    void brokerVersionMatchesTheClientsOfTheQuarkusBom() throws Exception {
        String pom = Files.readString(LocalInfrastructure.repositoryRoot().resolve("infra/kafka/pom.xml"));
        Matcher version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(pom);
        version.find();
        assertEquals(AppInfoParser.getVersion(), version.group(1),
                "infra/kafka/pom.xml must pin the kafka-clients version of io.quarkus:quarkus-bom");
    }
}
