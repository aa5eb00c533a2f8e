package dev.mailops.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The console's message bundles: English and German have exactly the same keys with the same {placeholders},
 * and every key the page (data-i18n attributes) and the scripts (key literals, and the families of keys they
 * build from a prefix and a value) use exists.
 */
class ConsoleMessagesTest {

    static final Path CONSOLE = Path.of("src/main/resources/META-INF/resources/console");
    /** The keys the scripts build as prefix + value, with every value they can get. */
    static final Map<String, Set<String>> FAMILIES = Map.of(
            "role.", Set.of("admin", "user", "operator"),
            "check.", Set.of("OK", "MISSING", "MISMATCH", "ERROR"),
            "dns.managedBy.", Set.of("PROVIDER", "TENANT"),
            "dkim.state.", Set.of("generated", "published", "active", "retiring"),
            "dkim.stateText.", Set.of("generated", "published", "active", "retiring"),
            "migration.outcome.", Set.of("create", "created", "unchanged", "invalid", "failed"));
    static final Pattern ATTRIBUTE = Pattern.compile("data-i18n(?:-[a-z-]+)?=\"([^\"]+)\"");
    static final Pattern LITERAL = Pattern.compile("\"([a-z][A-Za-z]*(?:\\.[A-Za-z0-9]+)+)\"");
    static final Pattern PREFIX = Pattern.compile("\"([a-z][A-Za-z.]*\\.)\"\\s*\\+");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    @Test
    void englishAndGermanHaveTheSameKeysAndPlaceholders() throws IOException {
        Map<String, String> english = bundle("en");
        Map<String, String> german = bundle("de");

        assertThat(german.keySet()).isEqualTo(english.keySet());
        english.forEach((key, text) -> assertThat(placeholders(german.get(key))).as(key).isEqualTo(placeholders(text)));
        assertThat(german).allSatisfy((key, text) -> assertThat(text).as(key).isNotBlank());
    }

    @Test
    void everyKeyThePageAndTheScriptsUseExists() throws IOException {
        Set<String> keys = bundle("en").keySet();
        Set<String> namespaces = new TreeSet<>();
        keys.forEach(key -> namespaces.add(key.substring(0, key.indexOf('.'))));

        Set<String> used = new TreeSet<>(matches(ATTRIBUTE, Files.readString(CONSOLE.resolve("index.html"))));
        String scripts = Files.readString(CONSOLE.resolve("console.js")) + Files.readString(CONSOLE.resolve("i18n.js"));
        matches(LITERAL, scripts).stream().filter(literal -> namespaces.contains(literal.substring(0, literal.indexOf('.'))))
                .forEach(used::add);
        Set<String> prefixes = matches(PREFIX, scripts);
        assertThat(FAMILIES.keySet()).as("every family of keys the scripts build is declared here").containsAll(prefixes);
        prefixes.forEach(prefix -> FAMILIES.get(prefix).forEach(value -> used.add(prefix + value)));

        assertThat(used).hasSizeGreaterThan(200);
        assertThat(keys).containsAll(used);
    }

    private static Map<String, String> bundle(String language) throws IOException {
        return new ObjectMapper().readValue(CONSOLE.resolve("i18n/" + language + ".json").toFile(),
                new TypeReference<TreeMap<String, String>>() {
                });
    }

    private static Set<String> placeholders(String text) {
        return matches(PLACEHOLDER, text);
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
