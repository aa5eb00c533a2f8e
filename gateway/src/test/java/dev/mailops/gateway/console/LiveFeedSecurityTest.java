package dev.mailops.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/** The live feed's door: a tenant's watcher is shown its own tenant's events and no other's. */
class LiveFeedSecurityTest {

    static final Duration TOKEN_LEFT = Duration.ofMinutes(5);

    final TenantFeed feed = new TenantFeed(record -> Map.of("tenant", record.key(),
            "data", new String(record.value(), StandardCharsets.UTF_8)), new TenantFeed.Source() {
                @Override
                public void pause() {
                }

                @Override
                public void resumeFrom(Instant since) {
                }
            }, Clock.fixed(Instant.parse("2026-11-30T23:00:00Z"), ZoneOffset.UTC));

    @Test
    void aWatcherIsNeverShownAnotherTenantsEvents() {
        // given admins of "shop" and of "bakery" watching, the first of them since before "bakery" came
        AssertSubscriber<Map<String, Object>> shop = feed.watch("shop", TOKEN_LEFT)
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        AssertSubscriber<Map<String, Object>> bakery = feed.watch("bakery", TOKEN_LEFT)
                .subscribe().withSubscriber(AssertSubscriber.create(10));

        // when an event of "shop" arrives, and one whose key merely starts like it
        feed.offer(new ConsumerRecord<>("mailbox.events", 0, 0, "shop", "{\"secret\":1}".getBytes(StandardCharsets.UTF_8)));
        feed.offer(new ConsumerRecord<>("mailbox.events", 0, 1, "shop-2", "{}".getBytes(StandardCharsets.UTF_8)));

        // then the admin of "bakery" is shown nothing, and the admin of "shop" only the event of "shop"
        assertThat(bakery.getItems()).isEmpty();
        assertThat(shop.getItems()).extracting(event -> event.get("tenant")).containsExactly("shop");
    }
}
