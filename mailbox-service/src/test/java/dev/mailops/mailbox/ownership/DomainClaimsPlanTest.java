package dev.mailops.mailbox.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.mailbox.GenericPlans;

/**
 * The nesting check of a registration stays an index lookup on the plan PostgreSQL keeps for it, however
 * many domains there are: with 3,000 of another tenant's shops under one name it reads the two indexes,
 * not the table, whether it finds a child or nothing.
 */
@QuarkusTest
class DomainClaimsPlanTest {

    private static final String SHOPS = """
            insert into mail_domain (domain, tenant_id, added_at)
            select 'shop' || i || '.plan-check.example', 'plan-check-reseller', now() from generate_series(1, 3000) i;
            analyze mail_domain""";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aChildOfTheNameIsFoundThroughTheReversedNameIndex() throws Exception {
        String plan = GenericPlans.explain(dataSource, SHOPS, DomainClaims.OTHER_TENANTS_PARENTS_OR_CHILDREN,
                "plan-check-rival", "", "elpmaxe.kcehc-nalp.", "elpmaxe.kcehc-nalp/");

        assertThat(plan).doesNotContain("Seq Scan").contains("mail_domain_reversed_idx", "mail_domain_pkey")
                .contains("Aggregate (actual time").containsPattern("Bitmap Heap Scan on mail_domain \\(actual time=\\S+ rows=3000\\b");
    }

    @Test
    void aNameWithoutParentsOrChildrenReadsNoRow() throws Exception {
        String plan = GenericPlans.explain(dataSource, SHOPS, DomainClaims.OTHER_TENANTS_PARENTS_OR_CHILDREN,
                "plan-check-rival", "unrelated.example", "elpmaxe.detalernu.pohs.", "elpmaxe.detalernu.pohs/");

        assertThat(plan).doesNotContain("Seq Scan").contains("mail_domain_reversed_idx", "mail_domain_pkey")
                .containsPattern("Bitmap Heap Scan on mail_domain \\(actual time=\\S+ rows=0\\b");
    }

    @Test
    void theTenantsOwnDomainsBelowTheNameDoNotCount() throws Exception {
        String plan = GenericPlans.explain(dataSource, SHOPS, DomainClaims.OTHER_TENANTS_PARENTS_OR_CHILDREN,
                "plan-check-reseller", "", "elpmaxe.kcehc-nalp.", "elpmaxe.kcehc-nalp/");

        assertThat(plan).doesNotContain("Seq Scan").contains("Rows Removed by Filter: 3000")
                .containsPattern("Bitmap Heap Scan on mail_domain \\(actual time=\\S+ rows=0\\b");
    }
}
