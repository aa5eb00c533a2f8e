package dev.mailops.testinfra;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.common.utils.Utils;

/**
 * Tenant ids whose records land on the same partition, as the Kafka producer's default partitioner
 * places a keyed record (murmur2 of the key modulo the partition count): the same partition for every
 * count from 1 to 12, so it holds whatever the topic was created with.
 */
public final class SamePartition {

    private static final int EVERY_COUNT_UP_TO_12 = 27720; // lcm(1..12)

    private SamePartition() {
    }

    /** {@code count} tenant ids starting with {@code prefix} that share one partition. */
    public static List<String> tenants(String prefix, int count) {
        List<String> tenants = new ArrayList<>(count);
        String first = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        tenants.add(first);
        int slot = slot(first);
        for (int i = 0; tenants.size() < count; i++) {
            String candidate = prefix + "-" + i + "-" + first.substring(first.length() - 8);
            if (slot(candidate) == slot) {
                tenants.add(candidate);
            }
        }
        return tenants;
    }

    /** The partition the producer puts the key on, for a topic of {@code partitions} partitions. */
    public static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static int slot(String key) {
        return partition(key, EVERY_COUNT_UP_TO_12);
    }
}
