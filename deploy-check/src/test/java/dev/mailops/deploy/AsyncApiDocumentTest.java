package dev.mailops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The event contract's AsyncAPI document, with every schema it references, passes the official parser. */
class AsyncApiDocumentTest {

    static final String NODE_MODULES = Repository.ROOT.resolve(".infra/node/node_modules").toString();

    @BeforeAll
    static void tools() throws Exception {
        Repository.ensureTools();
    }

    @Test
    void theContractIsAValidAsyncApiDocument() throws Exception {
        Repository.Run validation = Repository.run(Map.of("NODE_PATH", NODE_MODULES), "node",
                "deploy-check/src/test/node/validate-asyncapi.cjs", "contract/asyncapi.yaml");
        assertThat(validation.exitCode()).as(validation.output()).isZero();
        assertThat(validation.output()).contains("valid, 10 channels");
    }

    @Test
    void theValidatorRejectsABrokenDocument() throws Exception {
        Path broken = Files.createTempFile("asyncapi", ".yaml");
        Files.writeString(broken, Files.readString(Repository.ROOT.resolve("contract/asyncapi.yaml"))
                .replaceFirst("asyncapi: 3\\.0\\.0", "asyncapi: 9.9.9"));
        Repository.Run validation = Repository.run(Map.of("NODE_PATH", NODE_MODULES), "node",
                "deploy-check/src/test/node/validate-asyncapi.cjs", broken.toString());
        assertThat(validation.exitCode()).isNotZero();
    }
}
