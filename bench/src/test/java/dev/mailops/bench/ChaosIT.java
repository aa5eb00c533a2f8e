package dev.mailops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mailops.bench.chaos.ChaosRun;
import dev.mailops.bench.chaos.Invariants;
import dev.mailops.bench.report.Report;

/**
 * The small chaos run of the CI: every part killed once under load (the shared broker and database,
 * mailhost-service, and the mail host's Dovecot and Postfix included), then every invariant must hold,
 * among them that every live mailbox logs in to the real mail host and every deleted one cannot. `./mailops chaos` runs the longer version.
 */
class ChaosIT {

    @Test
    void everyInvariantHoldsAfterEachPartWasKilledUnderLoad() throws Exception {
        List<Invariants.Check> checks = new ChaosRun(ChaosRun.Settings.quick(), new Report()).run();

        assertThat(checks).hasSize(12);
        assertThat(checks).allSatisfy(check -> assertThat(check.holds()).as(check.invariant() + ": " + check.figure())
                .isTrue());
    }
}
