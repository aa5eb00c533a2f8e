package dev.mailops.testinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Verifies the DKIM signatures of a raw RFC 5322 message independently of whatever signed it: with
 * Debian's {@code python3-dkim} (run as a process, Debian's own interpreter), which looks each key up
 * at one DNS server, the authoritative one a test names, with {@code python3-dnspython}; never at the
 * system's resolvers. Both packages must be installed (the mail host's script installs them).
 */
public final class DkimVerifier {

    /** Debian's interpreter, where python3-dkim is installed; a python3 earlier on the PATH may lack it. */
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = "dkim-verify.py";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One DKIM-Signature header field as checked: its d= and s= (null when unreadable), and why it failed. */
    public record Signature(String domain, String selector, boolean valid, String detail) {
    }

    /** Every DKIM-Signature of the message, topmost first. */
    public record Result(List<Signature> signatures) {

        /** Signed, and every signature verifies against the key the DNS server serves. */
        public boolean valid() {
            return !signatures.isEmpty() && signatures.stream().allMatch(Signature::valid);
        }

        /** The only signature (a message signed once, as the mail host signs it). */
        public Signature signature() {
            if (signatures.size() != 1) {
                throw new AssertionError("Expected one DKIM-Signature, found " + signatures.size() + ": " + signatures);
            }
            return signatures.get(0);
        }
    }

    private final String dnsHost;
    private final int dnsPort;

    private DkimVerifier(String dnsHost, int dnsPort) {
        this.dnsHost = dnsHost;
        this.dnsPort = dnsPort;
    }

    /** A verifier that asks the DNS server at {@code host:port} (UDP, TCP when truncated) for the keys. */
    public static DkimVerifier askingServerAt(String host, int port) {
        return new DkimVerifier(host, port);
    }

    /** Verifies every DKIM-Signature of {@code rawMessage} (CRLF or LF line ends). */
    public Result verify(byte[] rawMessage) {
        ensureInstalled();
        Path script = extractedScript();
        try {
            Process process = new ProcessBuilder(List.of(python(), script.toString(), dnsHost, Integer.toString(dnsPort)))
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            try (OutputStream in = process.getOutputStream()) {
                in.write(rawMessage);
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("python3-dkim did not finish within 2 minutes");
            }
            String printed = new String(output.join(), StandardCharsets.UTF_8);
            String failure = new String(errors.join(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("python3-dkim could not check the message (exit " + process.exitValue()
                        + "; Debian's python3-dkim and python3-dnspython must be installed):\n" + failure);
            }
            return parse(printed);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + python(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while verifying a DKIM signature", e);
        } finally {
            try {
                Files.deleteIfExists(script);
            } catch (IOException ignored) {
                // a temporary file; the JVM's temp folder keeps it at worst
            }
        }
    }

    private static Result parse(String printed) throws IOException {
        JsonNode root = JSON.readTree(printed);
        List<Signature> signatures = new ArrayList<>();
        for (JsonNode signature : root.path("signatures")) {
            signatures.add(new Signature(text(signature, "domain"), text(signature, "selector"),
                    signature.path("valid").asBoolean(false), text(signature, "detail")));
        }
        return new Result(List.copyOf(signatures));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static volatile boolean installed;

    /** infra/dkim-verifier.sh installs the verifier's Debian packages when missing (as root). */
    private static synchronized void ensureInstalled() {
        if (installed) {
            return;
        }
        try {
            Process install = new ProcessBuilder(
                    LocalInfrastructure.repositoryRoot().resolve("infra/dkim-verifier.sh").toString()).inheritIO().start();
            if (install.waitFor() != 0) {
                throw new IllegalStateException("infra/dkim-verifier.sh could not make python3-dkim available");
            }
            installed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run infra/dkim-verifier.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing python3-dkim", e);
        }
    }

    private static String python() {
        return Files.isExecutable(DEBIAN_PYTHON) ? DEBIAN_PYTHON.toString() : "python3";
    }

    private static Path extractedScript() {
        try (InputStream source = DkimVerifier.class.getResourceAsStream(SCRIPT)) {
            if (source == null) {
                throw new IllegalStateException("test-infra lacks its resource " + SCRIPT);
            }
            Path script = Files.createTempFile("dkim-verify", ".py");
            Files.write(script, source.readAllBytes());
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + SCRIPT + " to a temporary file", e);
        }
    }

    private static byte[] readAll(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
