package dev.mailops.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RecorderTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void keepsTheLatenciesOfAcceptedAndRefusedAnswersApart() {
        Recorder recorder = new Recorder();
        recorder.record("add alias", 10 * MS, 201, false);
        recorder.record("add alias", 20 * MS, 200, false);
        recorder.record("change basic fee", 900 * MS, 503, true);
        recorder.record("change basic fee", 5 * MS, Api.NO_ANSWER, false);

        assertThat(recorder.acceptedLatency().getTotalCount()).isEqualTo(2);
        assertThat(recorder.acceptedLatency().getMaxValue() / MS).isEqualTo(20);
        assertThat(recorder.refusedLatency().getTotalCount()).isEqualTo(2);
        assertThat(recorder.refusedLatency().getMaxValue() / MS).isEqualTo(900);
        assertThat(recorder.errors()).isEqualTo(2);
    }

    @Test
    void countsAsOverloadedOnlyA503ThatSaidWhenToComeBack() {
        Recorder recorder = new Recorder();
        recorder.record("add alias", MS, 503, true);
        recorder.record("add alias", MS, 503, false);
        recorder.record("add alias", MS, 429, true);
        recorder.record("add alias", MS, 500, false);

        assertThat(recorder.overloadedWithRetryAfter()).isEqualTo(1);
        assertThat(recorder.refusedLatency().getTotalCount()).isEqualTo(4);
    }
}
