package dev.mailops.mailbox.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.mailbox.GenericPlans;

/**
 * The relay reads a batch by the store's key on the plan PostgreSQL keeps for its statement, even when the
 * outbox's statistics were gathered in a burst: 3,500 waiting events of 4,000 when analysed, 21 when read.
 * As a join, that plan was a merge join that read the store from its first event (all 4,000).
 */
@QuarkusTest
class EventStoreOutboxPlanTest {

    private static final String BURST = """
            insert into event_store (event_id, stream_type, stream_id, stream_version, tenant_id, event_type,
                                     schema_version, payload, occurred_at)
            select gen_random_uuid(), 'PlanCheck', 'plan-check-' || i, 1, 'plan-check', 'PlanChecked', 1, '{}', now()
              from generate_series(1, 4000) i;
            insert into outbox (global_position)
            select global_position from event_store where tenant_id = 'plan-check' order by global_position offset 500;
            analyze event_store, outbox;
            delete from outbox where global_position in (
                select global_position from event_store where tenant_id = 'plan-check'
                 order by global_position offset 500 limit 3479)""";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aBatchIsReadByTheStoresKeyNotByWalkingTheStore() throws Exception {
        String plan = GenericPlans.explain(dataSource, BURST, EventStoreOutbox.OLDEST, "500");

        assertThat(plan).doesNotContain("Merge Join", "Hash Join", "Seq Scan on event_store")
                .contains("Index Cond: (global_position = ANY (");
        Matcher store = Pattern.compile("Index Scan using event_store_pkey on event_store e \\(actual time=\\S+ rows=(\\d+)")
                .matcher(plan);
        assertThat(store.find()).as(plan).isTrue();
        // the 21 waiting, and whatever another test's commands left for the relay at that moment
        assertThat(Integer.parseInt(store.group(1))).isBetween(21, 500);
    }
}
