package dev.mailops.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;

import dev.mailops.testinfra.LocalInfrastructure;

/**
 * axe-core (from npm, installed by infra/chromium.sh into .infra/node) run on the screen the browser shows:
 * a screen with any serious or critical violation fails, listing each rule with the elements it found.
 */
final class Axe {

    private static String source;

    private Axe() {
    }

    static void assertAccessible(JavascriptExecutor browser, String screen) {
        if (browser.executeScript("return typeof window.axe").equals("undefined")) {
            browser.executeScript(source());
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> violations = (List<Map<String, Object>>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ["violations"] })
                  .then((result) => done(result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
                    .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.map((n) => n.target.join(" ")).join(" | ") }))))
                  .catch((error) => done([{ id: "axe-failed", impact: "critical", help: String(error), nodes: "" }]));
                """);
        assertThat(violations).as("serious or critical accessibility violations on the screen %s: %s", screen,
                violations.stream().map(v -> v.get("impact") + " " + v.get("id") + " (" + v.get("help") + "): " + v.get("nodes"))
                        .toList()).isEmpty();
    }

    private static synchronized String source() {
        if (source == null) {
            Path axe = LocalInfrastructure.repositoryRoot().resolve(".infra/node/node_modules/axe-core/axe.min.js");
            try {
                source = Files.readString(axe);
            } catch (IOException e) {
                throw new UncheckedIOException(axe + " is missing: run infra/chromium.sh", e);
            }
        }
        return source;
    }
}
