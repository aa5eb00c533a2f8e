package dev.mailops.mailbox.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mailops.mailbox.domain.event.DkimKeyGenerated;
import dev.mailops.mailbox.domain.event.DkimKeyPublished;
import dev.mailops.mailbox.domain.event.DkimKeyRetired;
import dev.mailops.mailbox.domain.event.DkimSelectorActivated;
import dev.mailops.mailbox.domain.event.DomainAdded;
import dev.mailops.mailbox.domain.event.MailboxEvent;

/**
 * A domain's DKIM keys through their lifecycle: generated for both selectors, published once DNS
 * serves them, the first selector activated, rotated only to a published standby, the replaced key
 * retired after its hold with a fresh key under its selector.
 */
class MailDomainDkimTest {

    static final DomainName SHOP = DomainName.of("shop.example");
    static final DkimSelectors SELECTORS = new DkimSelectors("mbo0001", "mbo0002");
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration HOLD = Duration.ofDays(5).plusHours(1);
    static final Duration PACE = Duration.ofSeconds(2);
    static final UUID K1 = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final UUID K2 = UUID.fromString("00000000-0000-4000-8000-000000000002");
    static final UUID K3 = UUID.fromString("00000000-0000-4000-8000-000000000003");

    /** Hands out the keys K1, K2, K3 in order, with a public key named after each. */
    final Deque<UUID> nextKeys = new ArrayDeque<>(List.of(K1, K2, K3));
    final DkimKeySource keys = selector -> {
        UUID id = nextKeys.removeFirst();
        return new DkimPublicKey(id, DkimAlgorithm.RSA_SHA256, publicKey(id));
    };
    /** The keys every DNS server serves, as the test says. */
    final Set<UUID> served = new HashSet<>();
    final DkimDns dns = key -> served.contains(key.keyId()) && key.publicKey().equals(publicKey(key.keyId()));

    static String publicKey(UUID id) {
        return "MIIB" + id.toString().replace("-", "");
    }

    static DkimKeyGenerated generated(String selector, UUID id) {
        return new DkimKeyGenerated("shop.example", selector, id, "rsa-sha256", publicKey(id),
                "v=DKIM1; k=rsa; p=" + publicKey(id));
    }

    static AggregateFixture<MailDomain> given(MailboxEvent... history) {
        return AggregateFixture.given(events -> MailDomain.fromHistory(SHOP, "t-1", events), history);
    }

    static final MailboxEvent ADDED = new DomainAdded("shop.example");
    static final MailboxEvent[] S1_ACTIVE_S2_PUBLISHED = {
            ADDED, generated("mbo0001", K1), generated("mbo0002", K2),
            new DkimKeyPublished("shop.example", "mbo0001", K1),
            new DkimSelectorActivated("shop.example", "mbo0001", K1, null, null, null),
            new DkimKeyPublished("shop.example", "mbo0002", K2) };

    static MailboxEvent[] rotatedAt(Instant at) {
        MailboxEvent[] history = java.util.Arrays.copyOf(S1_ACTIVE_S2_PUBLISHED, S1_ACTIVE_S2_PUBLISHED.length + 1);
        history[history.length - 1] = new DkimSelectorActivated("shop.example", "mbo0002", K2, "mbo0001", K1,
                at.plus(HOLD));
        return history;
    }

    @Test
    void aRegisteredDomainWithoutKeysGetsOneUnderEachSelector() {
        given(ADDED).when(domain -> domain.generateDkimKeys(SELECTORS, keys))
                .then(generated("mbo0001", K1), generated("mbo0002", K2));
    }

    @Test
    void aDomainWithKeysKeepsThemAndAnUnregisteredOneGetsNone() {
        given(ADDED, generated("mbo0001", K1), generated("mbo0002", K2))
                .when(domain -> domain.generateDkimKeys(SELECTORS, keys)).then();
        AggregateFixture.given(events -> MailDomain.fromHistory(SHOP, null, events))
                .when(domain -> domain.generateDkimKeys(SELECTORS, keys)).then();
    }

    @Test
    void theRecordNamesTheKeyTypeAndCarriesThePublicKey() {
        assertThat(new DkimPublicKey(K1, DkimAlgorithm.RSA_SHA256, "MIIBIjAN").record())
                .isEqualTo("v=DKIM1; k=rsa; p=MIIBIjAN");
        assertThat(new DkimPublicKey(K1, DkimAlgorithm.ED25519_SHA256, "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
                .record()).isEqualTo("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    }

    @Test
    void nothingIsPublishedWhileDnsDoesNotServeTheKey() {
        given(ADDED, generated("mbo0001", K1), generated("mbo0002", K2))
                .when(domain -> domain.publishServedDkimKeys(dns)).then();
    }

    @Test
    void theFirstSelectorSignsOnceDnsServesItsKey() {
        served.add(K1);
        given(ADDED, generated("mbo0001", K1), generated("mbo0002", K2))
                .when(domain -> domain.publishServedDkimKeys(dns))
                .then(new DkimKeyPublished("shop.example", "mbo0001", K1),
                        new DkimSelectorActivated("shop.example", "mbo0001", K1, null, null, null));
    }

    @Test
    void theStandbyIsPublishedWithoutSigningAndTheSecondSelectorAloneActivatesNothing() {
        served.add(K2);
        given(ADDED, generated("mbo0001", K1), generated("mbo0002", K2))
                .when(domain -> domain.publishServedDkimKeys(dns))
                .then(new DkimKeyPublished("shop.example", "mbo0002", K2));
        MailDomain domain = given(ADDED, generated("mbo0001", K1), generated("mbo0002", K2),
                new DkimKeyPublished("shop.example", "mbo0001", K1),
                new DkimSelectorActivated("shop.example", "mbo0001", K1, null, null, null))
                .when(d -> d.publishServedDkimKeys(dns))
                .then(new DkimKeyPublished("shop.example", "mbo0002", K2));
        assertThat(domain.activeDkimSelector()).contains("mbo0001");
    }

    @Test
    void aRotationSwitchesToThePublishedStandbyAndHoldsTheOldKey() {
        served.add(K2);
        MailDomain domain = given(S1_ACTIVE_S2_PUBLISHED)
                .when(d -> d.rotateDkim(NOW, HOLD, dns, PACE))
                .then(new DkimSelectorActivated("shop.example", "mbo0002", K2, "mbo0001", K1, NOW.plus(HOLD)));
        assertThat(domain.activeDkimSelector()).contains("mbo0002");
        assertThat(domain.dkimKeys()).filteredOn(key -> key.selector().equals("mbo0001"))
                .singleElement().satisfies(key -> assertThat(key.retiresAt()).isEqualTo(NOW.plus(HOLD)));
        assertThat(domain.dkimAttentionAt(NOW)).contains(NOW.plus(HOLD));
    }

    @Test
    void aRotationToAStandbyThatDnsNoLongerServesIsRefused() {
        given(S1_ACTIVE_S2_PUBLISHED).when(d -> d.rotateDkim(NOW, HOLD, dns, PACE))
                .thenRejects(RuleViolation.class, "not served by every DNS server");
    }

    @Test
    void aRotationToAStandbyNotYetPublishedIsRefusedWithTheCheckPaceAsRetryAfter() {
        served.add(K2);
        MailDomain domain = MailDomain.fromHistory(SHOP, "t-1", List.of(ADDED, generated("mbo0001", K1),
                generated("mbo0002", K2), new DkimKeyPublished("shop.example", "mbo0001", K1),
                new DkimSelectorActivated("shop.example", "mbo0001", K1, null, null, null)));
        assertThatThrownBy(() -> domain.rotateDkim(NOW, HOLD, dns, PACE)).isInstanceOfSatisfying(RuleViolation.class,
                refused -> {
                    assertThat(refused.code()).isEqualTo("dkim-rotation-not-ready");
                    assertThat(refused.details()).containsEntry("selector", "mbo0002").containsEntry("retryAfter", 2L);
                });
        assertThat(domain.pendingEvents()).isEmpty();
    }

    @Test
    void aSecondRotationBeforeTheOldKeyIsReplacedIsRefusedUntilItsRetirement() {
        served.add(K1);
        Instant rotated = NOW.minus(Duration.ofDays(1));
        MailDomain domain = MailDomain.fromHistory(SHOP, "t-1", List.of(rotatedAt(rotated)));
        assertThatThrownBy(() -> domain.rotateDkim(NOW, HOLD, dns, PACE)).isInstanceOfSatisfying(RuleViolation.class,
                refused -> {
                    assertThat(refused.code()).isEqualTo("dkim-rotation-not-ready");
                    assertThat(refused.getMessage()).contains("after " + rotated.plus(HOLD));
                    assertThat(refused.details()).containsEntry("retryAfter",
                            Duration.between(NOW, rotated.plus(HOLD)).plus(PACE).toSeconds());
                });
        assertThat(domain.pendingEvents()).isEmpty();
    }

    @Test
    void aDomainWithoutASigningSelectorCannotRotate() {
        served.add(K2);
        given(ADDED, generated("mbo0001", K1), generated("mbo0002", K2))
                .when(d -> d.rotateDkim(NOW, HOLD, dns, PACE))
                .thenRejects(RuleViolation.class, "no published DKIM key signing yet");
    }

    @Test
    void theReplacedKeyIsRetiredAfterItsHoldAndAFreshKeyTakesItsSelector() {
        given(rotatedAt(NOW)).when(d -> d.retireDueDkimKeys(NOW.plus(HOLD).minusSeconds(1), keys)).then();
        nextKeys.removeFirst();
        nextKeys.removeFirst();
        MailDomain domain = given(rotatedAt(NOW)).when(d -> d.retireDueDkimKeys(NOW.plus(HOLD), keys))
                .then(new DkimKeyRetired("shop.example", "mbo0001", K1), generated("mbo0001", K3));
        assertThat(domain.dkimKeys()).extracting(DkimKey::keyId).containsExactlyInAnyOrder(K2, K3);
        assertThat(domain.dkimAttentionAt(NOW.plus(HOLD))).contains(NOW.plus(HOLD));
    }

    @Test
    void theFreshKeyIsPublishedAndThenTheDomainCanRotateBack() {
        served.add(K3);
        served.add(K1);
        MailboxEvent[] history = java.util.Arrays.copyOf(rotatedAt(NOW), rotatedAt(NOW).length + 2);
        history[history.length - 2] = new DkimKeyRetired("shop.example", "mbo0001", K1);
        history[history.length - 1] = generated("mbo0001", K3);
        given(history).when(d -> d.rotateDkim(NOW.plus(HOLD), HOLD, dns, PACE))
                .thenRejects(RuleViolation.class, "not served by every DNS server");
        given(history).when(d -> d.publishServedDkimKeys(dns))
                .then(new DkimKeyPublished("shop.example", "mbo0001", K3));
        MailboxEvent[] published = java.util.Arrays.copyOf(history, history.length + 1);
        published[published.length - 1] = new DkimKeyPublished("shop.example", "mbo0001", K3);
        Instant later = NOW.plus(HOLD).plusSeconds(60);
        given(published).when(d -> d.rotateDkim(later, HOLD, dns, PACE))
                .then(new DkimSelectorActivated("shop.example", "mbo0001", K3, "mbo0002", K2, later.plus(HOLD)));
    }

    @Test
    void theKeeperIsNeededWhilstAStepIsPendingAndNotOnceAllIsSettled() {
        assertThat(MailDomain.fromHistory(SHOP, "t-1", List.of(ADDED)).dkimAttentionAt(NOW)).contains(NOW);
        assertThat(MailDomain.fromHistory(SHOP, "t-1", List.of(ADDED, generated("mbo0001", K1),
                generated("mbo0002", K2))).dkimAttentionAt(NOW)).contains(NOW);
        assertThat(MailDomain.fromHistory(SHOP, "t-1", List.of(S1_ACTIVE_S2_PUBLISHED)).dkimAttentionAt(NOW))
                .isEqualTo(Optional.empty());
        assertThat(MailDomain.fromHistory(SHOP, null, List.of()).dkimAttentionAt(NOW)).isEmpty();
    }

    @Test
    void selectorsAreTwoDistinctDnsLabels() {
        assertThat(DkimSelectors.of(List.of("mbo0001", " mbo0002 "))).isEqualTo(SELECTORS);
        assertThatThrownBy(() -> DkimSelectors.of(List.of("mbo0001"))).isInstanceOf(InvalidValue.class)
                .hasMessageContaining("exactly two");
        assertThatThrownBy(() -> DkimSelectors.of(List.of("a", "b", "c"))).isInstanceOf(InvalidValue.class);
        assertThatThrownBy(() -> DkimSelectors.of(List.of("mbo0001", "mbo0001"))).isInstanceOf(InvalidValue.class)
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> DkimSelectors.of(List.of("mbo0001", "Mbo_2"))).isInstanceOf(InvalidValue.class)
                .hasMessageContaining("not a DKIM selector");
        assertThat(DkimAlgorithm.of("ed25519-sha256")).isEqualTo(DkimAlgorithm.ED25519_SHA256);
        assertThatThrownBy(() -> DkimAlgorithm.of("rsa-sha1")).isInstanceOf(InvalidValue.class);
    }
}
