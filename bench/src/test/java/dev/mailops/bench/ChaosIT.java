package dev.mailops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.mailops.bench.chaos.ChaosRun;
import dev.mailops.bench.chaos.Invariants;
import dev.mailops.bench.fuzz.FuzzRun;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;

/**
 * The CI's small chaos and fuzz runs, on one system (started once, as starting it is most of either
 * run's time). First every part is killed once under load (the shared broker and database,
 * mailhost-service, and the mail host's Dovecot and Postfix included), then every invariant must hold,
 * among them that every live mailbox logs in to the real mail host and every deleted one cannot. Then
 * the system that went through all that gets mutated requests through the gateway, each of which must be
 * answered with problem+json or accepted, and write nothing when refused. `./mailops chaos` and
 * `./mailops fuzz` run the longer versions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

    final ChaosRun chaos = new ChaosRun(ChaosRun.Settings.quick(), new Report());
    LocalSystem system;

    @BeforeAll
    void start() {
        system = LocalSystem.start(chaos.systemOptions());
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void everyInvariantHoldsAfterEachPartWasKilledUnderLoad() throws Exception {
        List<Invariants.Check> checks = chaos.run(system);

        assertThat(checks).hasSize(13);
        assertThat(checks).allSatisfy(check -> assertThat(check.holds()).as(check.invariant() + ": " + check.figure())
                .isTrue());
    }

    @Test
    @Order(2)
    void afterwardsMalformedRequestsGetProblemJsonAndWriteNothing() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        FuzzRun.Figures figures = new FuzzRun(system, new Report(), seed).run(1500);

        assertThat(figures.requests()).as("seed %d", seed).isEqualTo(1500);
        assertThat(figures.clientErrors()).as("most mutated requests are refused").isGreaterThan(1000);
        assertThat(figures.serverErrors()).as("5xx, seed %d", seed).isZero();
        assertThat(figures.noAnswer()).as("unanswered, seed %d", seed).isZero();
        assertThat(figures.refusedNotProblemJson()).as("refusals without problem+json, seed %d", seed).isZero();
        assertThat(figures.writesOfRefused()).as("events written by refused requests, seed %d", seed).isZero();
        assertThat(figures.unexplainedRows()).as("rows no accepted request explains, seed %d", seed).isZero();
    }
}
