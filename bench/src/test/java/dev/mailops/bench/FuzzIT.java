package dev.mailops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.mailops.bench.fuzz.FuzzRun;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;

/** The small fuzz run of the CI: mutated requests through the gateway; `./mailops fuzz` sends more. */
class FuzzIT {

    @Test
    void malformedRequestsGetProblemJsonAndWriteNothing() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        FuzzRun.Figures figures;
        try (LocalSystem system = LocalSystem.start(LocalSystem.Options.named("fuzz-it"))) {
            figures = new FuzzRun(system, new Report(), seed).run(1500);
        }

        assertThat(figures.requests()).as("seed %d", seed).isEqualTo(1500);
        assertThat(figures.clientErrors()).as("most mutated requests are refused").isGreaterThan(1000);
        assertThat(figures.serverErrors()).as("5xx, seed %d", seed).isZero();
        assertThat(figures.noAnswer()).as("unanswered, seed %d", seed).isZero();
        assertThat(figures.refusedNotProblemJson()).as("refusals without problem+json, seed %d", seed).isZero();
        assertThat(figures.writesOfRefused()).as("events written by refused requests, seed %d", seed).isZero();
        assertThat(figures.unexplainedRows()).as("rows no accepted request explains, seed %d", seed).isZero();
    }
}
