package dev.mailops.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;

class TenantFeedTest {

    static final Instant NOW = Instant.parse("2026-11-30T23:00:00Z");
    static final Duration TOKEN_LEFT = Duration.ofMinutes(5);

    final List<String> decodedTenants = new ArrayList<>();
    final List<String> sourceCalls = new ArrayList<>();
    final TenantFeed feed = new TenantFeed(record -> {
        decodedTenants.add(record.key());
        return Map.of("tenant", record.key(), "data", new String(record.value(), StandardCharsets.UTF_8));
    }, new TenantFeed.Source() {
        @Override
        public void pause() {
            sourceCalls.add("pause");
        }

        @Override
        public void resumeFrom(Instant since) {
            sourceCalls.add("resume from " + since);
        }
    }, Clock.fixed(NOW, ZoneOffset.UTC));

    static ConsumerRecord<String, byte[]> record(String tenant, String value) {
        return new ConsumerRecord<>("mailbox.events", 0, 0, tenant, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRecordOfATenantNobodyWatchesIsNotDecoded() {
        // given an admin of tenant "shop" watching
        AssertSubscriber<Map<String, Object>> shop = feed.watch("shop", TOKEN_LEFT)
                .subscribe().withSubscriber(AssertSubscriber.create(10));

        // when records of "bakery", nobody watching it, and of "shop" arrive
        feed.offer(record("bakery", "{\"not\":\"watched\"}"));
        feed.offer(record("shop", "{\"alias\":\"info@shop.example\"}"));
        feed.offer(record("bakery", "{\"not\":\"watched either\"}"));

        // then only the record of "shop" was decoded, and only it reached its watcher
        assertThat(decodedTenants).containsExactly("shop");
        assertThat(feed.decoded()).isEqualTo(1);
        assertThat(feed.skipped()).isEqualTo(2);
        assertThat(shop.getItems()).extracting(event -> event.get("tenant")).containsExactly("shop");
    }

    @Test
    void withNobodyWatchingNothingIsDecodedAndTheSourcePauses() {
        // given nobody watching
        // when records arrive
        feed.offer(record("shop", "{}"));
        feed.offer(record("bakery", "{}"));

        // then none is decoded, and the source is paused once
        assertThat(decodedTenants).isEmpty();
        assertThat(sourceCalls).containsExactly("pause");
    }

    @Test
    void theFirstWatcherResumesTheSourceFromItsArrivalAndTheLastOneLeavingPausesItAgain() {
        // given a paused source
        feed.offer(record("shop", "{}"));

        // when an admin of "shop" starts watching, a record of "shop" arrives, and the admin leaves
        AssertSubscriber<Map<String, Object>> shop = feed.watch("shop", TOKEN_LEFT)
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        feed.offer(record("shop", "{\"n\":1}"));
        shop.cancel();
        feed.offer(record("shop", "{\"n\":2}"));

        // then the source resumed from the watcher's arrival, and paused again at the first record after it left
        assertThat(sourceCalls).containsExactly("pause", "resume from " + NOW, "pause");
        assertThat(shop.getItems()).extracting(event -> event.get("data")).containsExactly("{\"n\":1}");
        assertThat(decodedTenants).containsExactly("shop");
    }

    @Test
    void aWatcherWhoseStreamTakesOneEventAtATimeGetsABurstWhole() {
        // given a watcher whose stream asks for one event at a time, as the server-sent events writer does
        AssertSubscriber<Map<String, Object>> shop = feed.watch("shop", TOKEN_LEFT)
                .subscribe().withSubscriber(AssertSubscriber.create(1));

        // when three events of its tenant arrive before it asks for the next
        feed.offer(record("shop", "{\"n\":1}"));
        feed.offer(record("shop", "{\"n\":2}"));
        feed.offer(record("shop", "{\"n\":3}"));
        shop.request(2);

        // then it gets all three in order, and its stream goes on
        shop.assertNotTerminated();
        assertThat(shop.getItems()).extracting(event -> event.get("data"))
                .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    }

    @Test
    void aWatcherTooFarBehindHasItsStreamEndedNotFailedSoTheConsoleOpensANewOne() {
        // given a watcher that takes nothing
        AssertSubscriber<Map<String, Object>> shop = feed.watch("shop", TOKEN_LEFT)
                .subscribe().withSubscriber(AssertSubscriber.create(0));

        // when more events of its tenant arrive than a watcher may fall behind by
        for (int n = 0; n <= TenantFeed.BEHIND_AT_MOST; n++) {
            feed.offer(record("shop", "{}"));
        }

        // then its stream ends normally, and it no longer counts as watching: the next record pauses the source
        shop.assertCompleted();
        feed.offer(record("shop", "{}"));
        assertThat(sourceCalls).containsExactly("pause");
    }
}
