package dev.mailops.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The console's own doors, in its source: data and messages never parsed as HTML, the session never kept past the
 * tab, nothing loaded from elsewhere or inline (the gateway's Content-Security-Policy allows only the console's own
 * files). {@code ConsoleBrowserIT} shows the first door closed in the browser too: a TXT record carrying markup is
 * shown as text.
 */
class ConsoleSecurityTest {

    static final Path CONSOLE = ConsoleMessagesTest.CONSOLE;

    @Test
    void theScriptsParseNoHtml() throws IOException {
        String scripts = scripts();

        assertThat(scripts).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "DOMParser", "createContextualFragment");
        assertThat(Pattern.compile("setTimeout\\(\\s*[\"'`]").matcher(scripts).find()).as("setTimeout with code as text")
                .isFalse();
    }

    @Test
    void theMessagesCarryNoMarkup() throws IOException {
        for (String language : List.of("en", "de")) {
            assertThat(Files.readString(CONSOLE.resolve("i18n/" + language + ".json"))).as(language)
                    .doesNotContain("<", ">", "&lt;", "&#");
        }
    }

    @Test
    void theTokensStayInTheTabsSessionStorage() throws IOException {
        Matcher local = Pattern.compile("localStorage\\.(\\w+)\\(([^,)]*)").matcher(scripts());
        int uses = 0;
        while (local.find()) {
            uses++;
            assertThat(local.group(2).trim()).as("localStorage keeps only the language choice: " + local.group())
                    .isEqualTo("STORED");
        }
        assertThat(uses).isPositive();
        assertThat(Files.readString(CONSOLE.resolve("i18n.js"))).contains("const STORED = \"mailops.language\"");
        assertThat(scripts()).doesNotContain("document.cookie");
    }

    @Test
    void thePageLoadsNothingInlineOrFromElsewhere() throws IOException {
        String page = Files.readString(CONSOLE.resolve("index.html"));

        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page).find()).as("inline script").isFalse();
        assertThat(page).doesNotContain("<style", " style=", "javascript:", " onclick=", " onload=", " onerror=");
        assertThat(Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find()).as("a file from elsewhere").isFalse();
    }

    private static String scripts() throws IOException {
        try (Stream<Path> files = Files.list(CONSOLE)) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(path -> path.toString().endsWith(".js")).sorted().toList()) {
                all.append(Files.readString(file)).append('\n');
            }
            return all.toString();
        }
    }
}
