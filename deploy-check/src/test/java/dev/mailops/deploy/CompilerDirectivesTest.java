package dev.mailops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The JIT compiler directives a service's image carries (src/main/jib, passed by ./mailops, the tests'
 * service processes, compose and Kubernetes): a JVM that cannot parse them does not start, so each file is
 * started here, and its two directives (C2 for the cryptography, C1 for the rest) are taken.
 */
class CompilerDirectivesTest {

    @Test
    void everyServicesDirectivesAreTakenByTheJvm() throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> modules = Files.list(Repository.ROOT)) {
            files = modules.map(module -> Repository.compilerDirectives(module.getFileName().toString()))
                    .filter(Files::exists).toList();
        }
        assertThat(files).as("mailbox-service's and the gateway's").hasSize(2);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (Path file : files) {
            Repository.Run run = Repository.run(Map.of(), java, "-XX:+UnlockDiagnosticVMOptions",
                    "-XX:CompilerDirectivesFile=" + file, "-version");
            assertThat(run.exitCode()).as(file + ":\n" + run.output()).isZero();
            assertThat(run.output()).as(file.toString()).contains("2 compiler directives added");
        }
    }
}
