package dev.mailops.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void replacesOnlyTheFiguresBetweenItsMarkers(@TempDir Path dir) throws Exception {
        Path document = dir.resolve("performance.md");
        Files.writeString(document, "# Prose before\n<!-- bench:begin -->\nold figures\n<!-- bench:end -->\nProse after\n");

        new Report().table(List.of("a", "b"), List.of(List.of("1", "2"))).writeInto(document, "bench");

        assertThat(Files.readString(document)).isEqualTo("""
                # Prose before
                <!-- bench:begin -->
                | a | b |
                |---|---|
                | 1 | 2 |
                <!-- bench:end -->
                Prose after
                """);
    }

    @Test
    void appendsAMarkedSectionWhenTheDocumentHasNone(@TempDir Path dir) throws Exception {
        Path document = dir.resolve("performance.md");
        Files.writeString(document, "# Performance\n");

        new Report().line("figures").writeInto(document, "chaos");

        assertThat(Files.readString(document))
                .isEqualTo("# Performance\n\n<!-- chaos:begin -->\nfigures\n<!-- chaos:end -->\n");
    }
}
