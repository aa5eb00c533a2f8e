package dev.mailops.dns.zone.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Given a zone's records, when the tenant adds or removes one, then this outcome: no infrastructure involved. */
final class ZoneFixture {

    static final String DOMAIN = "shop.example";
    static final ZoneLimits LIMITS = new ZoneLimits(200, 16_384);
    static final TenantRecordRules RULES = new TenantRecordRules("include:mailbox.org", "~all", 3600, LIMITS);

    static final ZoneEntry PROVIDER_MX = new ZoneEntry("@", "MX", 3600, "10 mxext1.mailbox.org.", ManagedBy.PROVIDER);
    static final ZoneEntry PROVIDER_SPF = new ZoneEntry("@", "TXT", 3600, "v=spf1 include:mailbox.org ~all",
            ManagedBy.PROVIDER);
    static final ZoneEntry PROVIDER_MAIL = new ZoneEntry("mail", "CNAME", 3600, "mailbox.org.", ManagedBy.PROVIDER);
    static final ZoneEntry PROVIDER_DMARC = new ZoneEntry("_dmarc", "TXT", 3600, "v=DMARC1; p=none", ManagedBy.PROVIDER);

    private final List<ZoneEntry> records;
    private TenantRecordRules rules = RULES;
    private Function<List<ZoneEntry>, ZoneEntry> change = records -> null;

    private ZoneFixture(List<ZoneEntry> records) {
        this.records = records;
    }

    /** A provisioned zone with the provider's records, and the tenant's given ones. */
    static ZoneFixture givenZone(ZoneEntry... tenantRecords) {
        List<ZoneEntry> records = new ArrayList<>(List.of(PROVIDER_MX, PROVIDER_SPF, PROVIDER_MAIL,
                PROVIDER_DMARC));
        records.addAll(List.of(tenantRecords));
        return new ZoneFixture(List.copyOf(records));
    }

    /** The same zone under other limits. */
    ZoneFixture within(ZoneLimits limits) {
        rules = new TenantRecordRules("include:mailbox.org", "~all", 3600, limits);
        return this;
    }

    static ZoneEntry tenant(String name, String type, String value) {
        return new ZoneEntry(name, type, 3600, value, ManagedBy.TENANT);
    }

    ZoneFixture whenTenantAdds(String source, String type, String value, Integer ttl) {
        change = records -> rules.add(DOMAIN, records, new NewRecord(source, type, value, ttl));
        return this;
    }

    ZoneFixture whenTenantAdds(String source, String type, String value) {
        return whenTenantAdds(source, type, value, null);
    }

    ZoneFixture whenTenantRemoves(ZoneEntry record) {
        change = records -> {
            rules.remove(record);
            return record;
        };
        return this;
    }

    void thenAccepted() {
        change.apply(records);
    }

    void thenStores(ZoneEntry expected) {
        assertThat(change.apply(records)).isEqualTo(expected);
    }

    /** Refused as invalid, with exactly these fields named. */
    InvalidRecord thenRefusesFields(String... fields) {
        InvalidRecord refused = catchRefusal(InvalidRecord.class);
        assertThat(refused.violations()).extracting(InvalidRecord.Violation::field).containsExactly(fields);
        return refused;
    }

    void thenRefuses(String field, String messagePart) {
        assertThat(thenRefusesFields(field).violations().get(0).message()).contains(messagePart);
    }

    void thenConflicts(RecordConflict.Rule rule, String messagePart) {
        RecordConflict conflict = catchRefusal(RecordConflict.class);
        assertThat(conflict.rule()).isEqualTo(rule);
        assertThat(conflict).hasMessageContaining(messagePart);
    }

    private <E extends RuntimeException> E catchRefusal(Class<E> type) {
        try {
            change.apply(records);
        } catch (RuntimeException e) {
            assertThat(e).isInstanceOf(type);
            return type.cast(e);
        }
        throw new AssertionError("expected " + type.getSimpleName() + ", but the rules accepted the change");
    }
}
