package dev.mailops.kit.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * A packaged service (the prod profile, or any profile the jar is started with) refuses to start while a
 * secret it lists in {@code mailops.required-secrets} is missing, empty or a known {@link Placeholders
 * placeholder}. Each entry of the list is
 * <ul>
 * <li>{@code key}: the configuration value is the secret;</li>
 * <li>{@code file:key}: the value names a file (a path or a {@code file:} URL) that must exist and hold the
 * secret;</li>
 * <li>either with {@code " if set"}: checked only when the key has a value (a secret whose absence only turns a
 * feature off), or with {@code " if other.key"}: checked only while that key is {@code true}.</li>
 * </ul>
 * Dev mode and the tests do not check: their configuration comes from the tests themselves. The messages name
 * the keys and their environment variables, never a value.
 */
@ApplicationScoped
public class RequiredSecrets {

    public static final String LIST = "mailops.required-secrets";

    private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final int LONGEST_SECRET_FILE = 1 << 20;

    /** Before anything else observes the start: the messaging channels, schedulers and the services' own beans. */
    void refuseToStartWithoutSecrets(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            requireAll(ConfigProvider.getConfig());
        }
    }

    /** @throws MissingSecretsException naming every listed secret that is missing, empty or a placeholder */
    public static void requireAll(Config config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new MissingSecretsException(problems);
        }
    }

    /** What is wrong with the secrets the configuration lists, one sentence each; empty when nothing is. */
    public static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        for (String entry : config.getOptionalValues(LIST, String.class).orElse(List.of())) {
            check(config, entry.strip()).ifPresent(problems::add);
        }
        return problems;
    }

    private static Optional<String> check(Config config, String entry) {
        String condition = null;
        int ifAt = entry.indexOf(" if ");
        if (ifAt >= 0) {
            condition = entry.substring(ifAt + 4).strip();
            entry = entry.substring(0, ifAt).strip();
        }
        boolean file = entry.startsWith("file:");
        String key = file ? entry.substring("file:".length()) : entry;
        Optional<String> value = valueOf(config, key);
        if ("set".equals(condition) && value.isEmpty()) {
            return Optional.empty();
        }
        if (condition != null && !"set".equals(condition)
                && !config.getOptionalValue(condition, Boolean.class).orElse(false)) {
            return Optional.empty();
        }
        String name = key + environmentVariableOf(config, key);
        if (value.isEmpty()) {
            return Optional.of(name + " is not set");
        }
        if (!file) {
            return Placeholders.isPlaceholder(value.get())
                    ? Optional.of(name + " is a placeholder, not a secret")
                    : Optional.empty();
        }
        return checkFile(name, value.get());
    }

    /** The value, or none when it is empty or names an environment variable that is not set. */
    private static Optional<String> valueOf(Config config, String key) {
        try {
            return config.getOptionalValue(key, String.class).filter(value -> !value.isBlank());
        } catch (NoSuchElementException unexpandable) {
            return Optional.empty();
        }
    }

    private static Optional<String> checkFile(String name, String location) {
        Path path = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            return Optional.of(name + " names no readable file (" + path + ")");
        }
        String content;
        try (InputStream in = Files.newInputStream(path)) {
            content = new String(in.readNBytes(LONGEST_SECRET_FILE), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.of(name + " names a file that cannot be read (" + path + ")");
        }
        if (content.isBlank()) {
            return Optional.of(name + " names an empty file (" + path + ")");
        }
        return Placeholders.isPlaceholder(content)
                ? Optional.of(name + " names a file that holds a placeholder, not a secret (" + path + ")")
                : Optional.empty();
    }

    /**
     * " (BILLING_DB_PASSWORD)" when the key's value comes from that environment variable, as the properties
     * say, or " (MAILOPS_GATEWAY_TOKEN)" when the environment sets the key itself.
     */
    private static String environmentVariableOf(Config config, String key) {
        String raw;
        String source;
        try {
            ConfigValue value = config.getConfigValue(key);
            raw = value == null ? null : value.getRawValue();
            source = value == null ? null : value.getSourceName();
        } catch (NoSuchElementException unexpandable) {
            raw = unexpandable.getMessage();
            source = null;
        }
        Matcher matcher = ENVIRONMENT_VARIABLE.matcher(raw == null ? "" : raw);
        if (matcher.find()) {
            return " (" + matcher.group(1) + ")";
        }
        return source != null && source.contains("EnvConfigSource")
                ? " (" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + ")"
                : "";
    }

    /** The start is refused: what is missing, and where the README says how to make it. */
    public static final class MissingSecretsException extends IllegalStateException {
        private final List<String> problems;

        MissingSecretsException(List<String> problems) {
            super("Refusing to start without its secrets: " + String.join("; ", problems)
                    + ". Give each a value of its own (a long random one, e.g. openssl rand -hex 32; "
                    + "see deploy/README.md), never a placeholder or an example from the repository.");
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
