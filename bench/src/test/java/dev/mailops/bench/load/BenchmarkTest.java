package dev.mailops.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchmarkTest {

    @Test
    void theOpenModelHasATenantForEveryFeeChangeInFlightWhileAnswersComeWithinTheTarget() {
        // 30 % of 60 commands/s are 18 fee changes a second, each in flight up to 2 s: 36 at once.
        assertThat(Benchmark.tenantsForFeeChanges(60)).isEqualTo(36);
        assertThat(Benchmark.tenantsForFeeChanges(208)).isEqualTo(125);
        assertThat(Benchmark.tenantsForFeeChanges(10)).isEqualTo(6);
    }
}
