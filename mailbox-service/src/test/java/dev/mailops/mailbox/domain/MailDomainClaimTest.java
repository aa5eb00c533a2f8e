package dev.mailops.mailbox.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mailops.mailbox.domain.event.DkimKeyGenerated;
import dev.mailops.mailbox.domain.event.DkimKeyRetired;
import dev.mailops.mailbox.domain.event.DomainAdded;
import dev.mailops.mailbox.domain.event.DomainClaimExpired;
import dev.mailops.mailbox.domain.event.DomainVerified;
import dev.mailops.mailbox.domain.event.MailboxEvent;

/**
 * A pending claim holds the name for the claim's lifetime only: unproven by then it expires (with the
 * domain's DKIM keys), anyone may register the name again, and the tenant whose claim expired only
 * one lifetime later. A verified domain never expires.
 */
class MailDomainClaimTest {

    static final DomainName SHOP = DomainName.of("shop.example");
    static final String TOKEN = "q3Jb0m9mX1N4cHZpV2t0cE9xYlNlR2h6YjFkZA";
    static final Duration LIFETIME = Duration.ofDays(7);
    static final Instant CLAIMED = Instant.parse("2026-12-01T10:00:00Z");
    static final Instant EXPIRY = CLAIMED.plus(LIFETIME);
    static final UUID K1 = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final UUID K2 = UUID.fromString("00000000-0000-4000-8000-000000000002");
    static final DomainAdded PENDING = new DomainAdded("shop.example", TOKEN);
    static final DomainClaimExpired EXPIRED = new DomainClaimExpired("shop.example", EXPIRY.plus(LIFETIME));

    static AggregateFixture<MailDomain> given(MailboxEvent... history) {
        return AggregateFixture.given(events -> MailDomain.fromHistory(SHOP, "squatter", events), history);
    }

    static DkimKeyGenerated generated(String selector, UUID id) {
        return new DkimKeyGenerated("shop.example", selector, id, "rsa-sha256", "MIIB" + id, "v=DKIM1; k=rsa; p=MIIB" + id);
    }

    @Test
    void aPendingClaimExpiresOnceItsLifetimeHasPassed() {
        MailDomain domain = given(PENDING)
                .when(pending -> pending.expireClaim(CLAIMED, LIFETIME, EXPIRY))
                .then(EXPIRED);
        assertThat(domain.registered()).isFalse();
        assertThat(domain.verificationToken()).isNull();
    }

    @Test
    void aPendingClaimHoldsTheNameUntilThen() {
        given(PENDING)
                .when(pending -> pending.expireClaim(CLAIMED, LIFETIME, EXPIRY.minusNanos(1000)))
                .then();
    }

    @Test
    void itsDkimKeysAreRetiredWithTheClaim() {
        MailDomain domain = given(PENDING, generated("mbo0001", K1), generated("mbo0002", K2))
                .when(pending -> pending.expireClaim(CLAIMED, LIFETIME, EXPIRY.plusSeconds(30)))
                .then(new DkimKeyRetired("shop.example", "mbo0001", K1), new DkimKeyRetired("shop.example", "mbo0002", K2),
                        new DomainClaimExpired("shop.example", EXPIRY.plusSeconds(30).plus(LIFETIME)));
        assertThat(domain.dkimKeys()).isEmpty();
        assertThat(domain.activeDkimSelector()).isEmpty();
    }

    @Test
    void aVerifiedDomainNeverExpires() {
        given(PENDING, new DomainVerified("shop.example", "dns-txt"))
                .when(verified -> verified.expireClaim(CLAIMED, LIFETIME, EXPIRY.plus(Duration.ofDays(3650))))
                .then();
        given(new DomainAdded("shop.example"))
                .when(registeredBeforeProof -> registeredBeforeProof.expireClaim(CLAIMED, LIFETIME, EXPIRY.plusSeconds(1)))
                .then();
    }

    @Test
    void anExpiredClaimExpiresOnce() {
        given(PENDING, EXPIRED)
                .when(expired -> expired.expireClaim(CLAIMED, LIFETIME, EXPIRY.plus(LIFETIME)))
                .then();
    }

    @Test
    void afterTheExpiryAnotherTenantRegistersTheNamePending() {
        MailDomain domain = given(PENDING, EXPIRED)
                .when(free -> free.register("owner", DomainOwnership.DNS_TXT, () -> "owners-token", EXPIRY))
                .then(new DomainAdded("shop.example", "owners-token"));
        assertThat(domain.verificationToken()).isEqualTo("owners-token");
        assertThat(domain.verified()).isFalse();
    }

    @Test
    void theTenantWhoseClaimExpiredMayClaimItAgainOnlyOneLifetimeLater() {
        MailDomain expired = MailDomain.fromHistory(SHOP, "squatter", List.of(PENDING, EXPIRED));
        assertThatThrownBy(() -> expired.register("squatter", DomainOwnership.DNS_TXT, () -> "again",
                EXPIRY.plus(LIFETIME).minusSeconds(1))).isInstanceOfSatisfying(RuleViolation.class, refused -> {
                    assertThat(refused.code()).isEqualTo("domain-claim-expired");
                    assertThat(refused.details()).containsEntry("field", "domain")
                            .containsEntry("availableAt", EXPIRY.plus(LIFETIME).toString());
                });
        assertThat(expired.pendingEvents()).isEmpty();
        given(PENDING, EXPIRED)
                .when(free -> free.register("squatter", DomainOwnership.DNS_TXT, () -> "again", EXPIRY.plus(LIFETIME)))
                .then(new DomainAdded("shop.example", "again"));
    }
}
