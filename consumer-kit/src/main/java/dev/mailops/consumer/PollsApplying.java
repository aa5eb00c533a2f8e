package dev.mailops.consumer;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The polls a consumer is applying now, by topic ({@code events.poll.applying}, a long task timer). A poll
 * is held, unacknowledged, for as long as a transient fault or a replay lasts; the channels do not end over
 * it (their unprocessed-record age check is off), so its age here is what says a consumer is stuck.
 */
public final class PollsApplying {

    private PollsApplying() {
    }

    /** The timer of the topic's polls: {@code record} the application of one. */
    public static LongTaskTimer of(MeterRegistry meters, String topic) {
        return LongTaskTimer.builder("events.poll.applying")
                .description("Polls being applied, held until they are; the oldest one's age is the max")
                .tag("topic", topic).register(meters);
    }
}
