package dev.mailops.mailhost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mailops.testinfra.InfrastructureSettings;
import dev.mailops.testinfra.LocalInfrastructure;

/**
 * A mail host of the tests' own, run by {@code infra/mailhost.sh} as {@code ./mailops up} runs one: real
 * Dovecot and Postfix reading the database {@link #DATABASE}, on ports and in a folder apart from the
 * development instance, with the login throttling off (the tests try wrong passwords on purpose).
 * When it cannot start, the test fails: it is never skipped.
 */
final class LocalMailHost {

    static final String DATABASE = "mailhost_test";
    static final String HOST = "127.0.0.1";
    static final int IMAP = 11143;
    static final int IMAPS = 11993;
    static final int POP3 = 11110;
    static final int POP3S = 11995;
    static final int SMTP = 11025;
    static final int SUBMISSION = 11587;
    static final int SMTPS = 11465;
    static final int DOVEADM = 11425;

    private final Path script = LocalInfrastructure.repositoryRoot().resolve("infra/mailhost.sh");
    private final Map<String, String> environment = new HashMap<>();

    LocalMailHost(InfrastructureSettings database) {
        environment.put("MAILOPS_PG_HOST", database.pgHost());
        environment.put("MAILOPS_PG_PORT", Integer.toString(database.pgPort()));
        environment.put("MAILOPS_PG_USER", database.pgUser());
        environment.put("MAILOPS_MAILHOST_DB", DATABASE);
        environment.put("MAILOPS_MAILHOST_DIR", LocalInfrastructure.repositoryRoot().resolve(".infra/mailhost-test").toString());
        environment.put("MAILOPS_MAILHOST_LISTEN", HOST);
        environment.put("MAILOPS_MAILHOST_IMAP_PORT", Integer.toString(IMAP));
        environment.put("MAILOPS_MAILHOST_IMAPS_PORT", Integer.toString(IMAPS));
        environment.put("MAILOPS_MAILHOST_POP3_PORT", Integer.toString(POP3));
        environment.put("MAILOPS_MAILHOST_POP3S_PORT", Integer.toString(POP3S));
        environment.put("MAILOPS_MAILHOST_SMTP_PORT", Integer.toString(SMTP));
        environment.put("MAILOPS_MAILHOST_SUBMISSION_PORT", Integer.toString(SUBMISSION));
        environment.put("MAILOPS_MAILHOST_SMTPS_PORT", Integer.toString(SMTPS));
        environment.put("MAILOPS_MAILHOST_DOVEADM_PORT", Integer.toString(DOVEADM));
        environment.put("MAILOPS_MAILHOST_AUTH_FAILURE_DELAY", "0");
        environment.put("MAILOPS_MAILHOST_AUTH_PENALTY", "off");
    }

    /** Where mailhost-service reaches this mail host's doveadm HTTP API. */
    static String doveadmUrl() {
        return "http://" + HOST + ":" + DOVEADM + "/doveadm/v1";
    }

    /** The API key the script generated for this mail host (the data folder, never committed). */
    static Path doveadmKeyFile() {
        return LocalInfrastructure.repositoryRoot().resolve(".infra/data/" + DATABASE + "-doveadm-api-key");
    }

    void start() {
        run("start");
    }

    void stop() {
        run("stop");
    }

    private void run(String command) {
        try {
            // Into a file, not a pipe: the daemons it starts may keep inherited descriptors open.
            Path output = Files.createTempFile("mailhost-" + command, ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of("bash", script.toString(), command))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            // apt-get may install Dovecot and Postfix first (about 25 s on a fresh machine).
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            System.out.print(printed);
            if (!finished) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + command + " did not finish within 5 minutes:\n" + printed);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " " + command + " failed (exit " + process.exitValue() + "):\n" + printed);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + script, e);
        }
    }
}
