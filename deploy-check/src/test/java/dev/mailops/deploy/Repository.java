package dev.mailops.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Files of the repository and the validators infra/deploy-tools.sh installs. */
final class Repository {

    static final Path ROOT = root();
    /** Where a service's image carries its JIT compiler directives (from the module's src/main/jib). */
    static final String IMAGE_COMPILER_DIRECTIVES = "/etc/mailops/compiler-directives.json";

    private Repository() {
    }

    record Run(int exitCode, String output) {
    }

    /** Runs a command in the repository root and returns its exit code and combined output. */
    static Run run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        return new Run(process.exitValue(), output);
    }

    /** Makes sure the validators are installed (idempotent). */
    static void ensureTools() throws IOException, InterruptedException {
        Run tools = run(Map.of(), "bash", "infra/deploy-tools.sh");
        if (tools.exitCode() != 0) {
            throw new IllegalStateException("infra/deploy-tools.sh failed:\n" + tools.output());
        }
    }

    /**
     * The main Java sources of every module, as one text: only each module's {@code src/main/java} is walked,
     * never the local installation's data ({@code .infra/}: a broker deleting a topic's folder while a walk
     * passed it failed a CI run) nor build output.
     */
    static String mainJavaSources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path sources : modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(sources)) {
                    for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        all.append(Files.readString(file));
                    }
                }
            }
        }
        return all.toString();
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("infra/deploy-tools.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the repository root");
    }

    /** The module's JIT compiler directives, which its image carries as {@link #IMAGE_COMPILER_DIRECTIVES}. */
    static Path compilerDirectives(String module) {
        return ROOT.resolve(module).resolve("src/main/jib" + IMAGE_COMPILER_DIRECTIVES);
    }

    /**
     * The JVM options ./mailops starts a service with: infra/service-jvm.options, then the service's own
     * infra/&lt;service&gt;-jvm.options where it has one, as one line (comments and blank lines left out), then its
     * compiler directives as its image has them.
     */
    static String serviceJvmOptions(String service) throws IOException {
        List<String> options = new java.util.ArrayList<>();
        for (Path file : List.of(ROOT.resolve("infra/service-jvm.options"), ROOT.resolve("infra/" + service + "-jvm.options"))) {
            if (java.nio.file.Files.exists(file)) {
                java.nio.file.Files.readAllLines(file).stream().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(options::add);
            }
        }
        // the compiler directives ./mailops passes from src/main/jib, where the image has them
        if (Files.exists(compilerDirectives(service))) {
            options.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + IMAGE_COMPILER_DIRECTIVES));
        }
        return String.join(" ", options);
    }
}
