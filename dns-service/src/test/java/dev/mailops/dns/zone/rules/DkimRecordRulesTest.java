package dev.mailops.dns.zone.rules;

import static dev.mailops.dns.zone.rules.ZoneFixture.DOMAIN;
import static dev.mailops.dns.zone.rules.ZoneFixture.PROVIDER_DMARC;
import static dev.mailops.dns.zone.rules.ZoneFixture.PROVIDER_MX;
import static dev.mailops.dns.zone.rules.ZoneFixture.PROVIDER_SPF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Given a zone's records, when a domain's own DKIM key is published or retired, then the zone holds… */
class DkimRecordRulesTest {

    static final DkimRecordRules RULES = new DkimRecordRules(3600);
    static final UUID K1 = UUID.fromString("5d2a9e47-8c31-4b6f-a0d2-7e9b3c4f1a28");
    static final UUID K2 = UUID.fromString("0b6f3c1e-3f1a-4d0e-9a63-2d7c1f5e8a90");
    static final UUID K3 = UUID.fromString("9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f");

    static DkimKey key(String selector, UUID id) {
        return new DkimKey(selector, id, "v=DKIM1; k=rsa; p=" + id.toString().replace("-", ""));
    }

    static ZoneEntry published(DkimKey key) {
        return new ZoneEntry(key.selector() + "._domainkey", "TXT", 3600, key.record(), ManagedBy.PROVIDER, key.keyId());
    }

    /** The zone's records after each change in turn, applied as the zone layer applies a {@link DkimRecordRules.Change}. */
    static final class Zone {
        private final List<ZoneEntry> records;

        Zone(ZoneEntry... records) {
            this.records = new ArrayList<>(List.of(records));
        }

        Zone whenPublished(DkimKey key) {
            return apply(RULES.publish(DOMAIN, List.copyOf(records), key));
        }

        Zone whenRetired(String selector, UUID keyId) {
            return apply(RULES.retire(List.copyOf(records), selector, keyId));
        }

        private Zone apply(DkimRecordRules.Change change) {
            records.removeAll(change.removed());
            change.added().ifPresent(records::add);
            return this;
        }

        void thenHolds(ZoneEntry... expected) {
            assertThat(records).containsExactlyInAnyOrder(expected);
        }
    }

    static Zone givenZone(ZoneEntry... more) {
        Zone zone = new Zone(PROVIDER_MX, PROVIDER_SPF, PROVIDER_DMARC);
        zone.records.addAll(List.of(more));
        return zone;
    }

    @Test
    void aGeneratedKeyIsPublishedAtItsSelectorWithTheProfilesTtlManagedByTheProvider() {
        givenZone()
                .whenPublished(key("mbo0001", K1))
                .whenPublished(key("mbo0002", K2))
                .thenHolds(PROVIDER_MX, PROVIDER_SPF, PROVIDER_DMARC, published(key("mbo0001", K1)),
                        published(key("mbo0002", K2)));
        assertThat(published(key("mbo0001", K1))).extracting(ZoneEntry::name, ZoneEntry::ttl, ZoneEntry::managedBy)
                .containsExactly("mbo0001._domainkey", 3600, ManagedBy.PROVIDER);
    }

    @Test
    void aNewKeyReplacesTheSelectorsPreviousRecordAndNoOther() {
        givenZone(published(key("mbo0001", K1)), published(key("mbo0002", K2)))
                .whenPublished(key("mbo0001", K3))
                .thenHolds(PROVIDER_MX, PROVIDER_SPF, PROVIDER_DMARC, published(key("mbo0001", K3)),
                        published(key("mbo0002", K2)));
    }

    @Test
    void aNewKeyReplacesAFixedKeyOfTheSelectorButNotTheTenantsOwnRecordThere() {
        ZoneEntry fixed = new ZoneEntry("mbo0001._domainkey", "TXT", 3600, "v=DKIM1; k=rsa; p=FIXED", ManagedBy.PROVIDER);
        ZoneEntry tenants = ZoneFixture.tenant("mbo0001._domainkey", "TXT", "note");
        givenZone(fixed, tenants)
                .whenPublished(key("mbo0001", K1))
                .thenHolds(PROVIDER_MX, PROVIDER_SPF, PROVIDER_DMARC, tenants, published(key("mbo0001", K1)));
    }

    @Test
    void publishingTheKeyTheSelectorPublishesAlreadyChangesNothing() {
        assertThat(RULES.publish(DOMAIN, List.of(PROVIDER_MX, published(key("mbo0001", K1))), key("mbo0001", K1))
                .isNone()).isTrue();
    }

    @Test
    void aRetiredKeyIsRemovedWhileItsSelectorStillPublishesIt() {
        givenZone(published(key("mbo0001", K1)), published(key("mbo0002", K2)))
                .whenRetired("mbo0001", K1)
                .thenHolds(PROVIDER_MX, PROVIDER_SPF, PROVIDER_DMARC, published(key("mbo0002", K2)));
    }

    @Test
    void aRetiredKeyAlreadyReplacedByAFreshOneLeavesTheFreshOne() {
        givenZone(published(key("mbo0001", K1)))
                .whenPublished(key("mbo0001", K3))
                .whenRetired("mbo0001", K1)
                .thenHolds(PROVIDER_MX, PROVIDER_SPF, PROVIDER_DMARC, published(key("mbo0001", K3)));
        // the other order, as mailbox-service writes a rotation's two events, ends the same
        givenZone(published(key("mbo0001", K1)))
                .whenRetired("mbo0001", K1)
                .whenPublished(key("mbo0001", K3))
                .thenHolds(PROVIDER_MX, PROVIDER_SPF, PROVIDER_DMARC, published(key("mbo0001", K3)));
    }

    @Test
    void retiringAKeyTheZoneNeverPublishedChangesNothing() {
        ZoneEntry fixed = new ZoneEntry("mbo0001._domainkey", "TXT", 3600, "v=DKIM1; k=rsa; p=FIXED", ManagedBy.PROVIDER);
        assertThat(RULES.retire(List.of(fixed, published(key("mbo0002", K2))), "mbo0001", K2).isNone()).isTrue();
    }

    @Test
    void aRecordThatIsNoTxtDataIsRefused() {
        assertThatThrownBy(() -> RULES.publish(DOMAIN, List.of(), new DkimKey("mbo0001", K1, "p=\u0000")))
                .isInstanceOf(InvalidValue.class).hasMessageContaining("control characters");
        assertThatThrownBy(() -> RULES.publish(DOMAIN, List.of(), new DkimKey("mbo0001", K1, "p=" + "A".repeat(4000))))
                .isInstanceOf(InvalidValue.class).hasMessageContaining("4000 bytes");
    }
}
