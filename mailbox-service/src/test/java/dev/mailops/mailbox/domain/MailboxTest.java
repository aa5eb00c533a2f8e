package dev.mailops.mailbox.domain;

import static dev.mailops.mailbox.domain.AggregateFixture.givenMailbox;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mailops.mailbox.domain.event.AddressReleased;
import dev.mailops.mailbox.domain.event.AliasAdded;
import dev.mailops.mailbox.domain.event.AliasRemoved;
import dev.mailops.mailbox.domain.event.FeeChanged;
import dev.mailops.mailbox.domain.event.MailboxCreated;
import dev.mailops.mailbox.domain.event.MailboxDeleted;
import dev.mailops.mailbox.domain.event.PasswordChanged;
import dev.mailops.mailbox.domain.event.RateChanged;

class MailboxTest {

    static final UUID ID = UUID.fromString("2f1c7e0a-6d7b-4c39-9a55-1b0a3c9e8d11");
    static final Instant UNTIL = Instant.parse("2026-11-29T08:00:00Z");
    static final MailboxCreated CREATED = new MailboxCreated(ID, "anna@shop.example", "anna", "shop.example", "Anna",
            "Berg", "u-17", List.of(), false, "MAIL_LIGHT");

    @Test
    void addsAnAliasWithinTheRatesLimit() {
        givenMailbox(CREATED, new AliasAdded(ID, "sales@shop.example"))
                .when(mailbox -> mailbox.addAlias(EmailAddress.parse("info@shop.example"), 3))
                .then(new AliasAdded(ID, "info@shop.example"));
    }

    @Test
    void refusesAnAliasPastTheRatesLimit() {
        givenMailbox(CREATED, new AliasAdded(ID, "a@shop.example"), new AliasAdded(ID, "b@shop.example"),
                new AliasAdded(ID, "c@shop.example"))
                .when(mailbox -> mailbox.addAlias(EmailAddress.parse("d@shop.example"), 3))
                .thenRejects(RuleViolation.class, "allows 3 aliases");
    }

    @Test
    void aRemovedAliasFreesItsPlaceUnderTheLimit() {
        givenMailbox(CREATED, new AliasAdded(ID, "a@shop.example"), new AliasRemoved(ID, "a@shop.example", UNTIL))
                .when(mailbox -> mailbox.addAlias(EmailAddress.parse("b@shop.example"), 1))
                .then(new AliasAdded(ID, "b@shop.example"));
    }

    @Test
    void refusesAnAliasEqualToItsOwnAddressOrAnExistingAlias() {
        givenMailbox(CREATED)
                .when(mailbox -> mailbox.addAlias(EmailAddress.parse("Anna@Shop.Example"), 3))
                .thenRejects(RuleViolation.class, "already delivers to this mailbox");
        givenMailbox(CREATED, new AliasAdded(ID, "a@shop.example"))
                .when(mailbox -> mailbox.addAlias(EmailAddress.parse("a@shop.example"), 3))
                .thenRejects(RuleViolation.class, "already delivers to this mailbox");
    }

    @Test
    void removingAnUnknownAliasIsNotFound() {
        givenMailbox(CREATED)
                .when(mailbox -> mailbox.removeAlias(EmailAddress.parse("x@shop.example"), UNTIL))
                .thenRejects(NotFound.class, "is not an alias");
    }

    @Test
    void deletingListsEveryAliasAndBlocksThemAll() {
        Mailbox deleted = givenMailbox(CREATED, new AliasAdded(ID, "a@shop.example"), new AliasAdded(ID, "b@shop.example"))
                .when(mailbox -> mailbox.delete(UNTIL))
                .then(new MailboxDeleted(ID, "anna@shop.example", List.of("a@shop.example", "b@shop.example"),
                        "MAIL_LIGHT", UNTIL));
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.aliases()).isEmpty();
    }

    @Test
    void aDeletedMailboxTakesNoFurtherCommands() {
        MailboxDeleted deletion = new MailboxDeleted(ID, "anna@shop.example", List.of(), "MAIL_LIGHT", UNTIL);
        givenMailbox(CREATED, deletion)
                .when(mailbox -> mailbox.addAlias(EmailAddress.parse("a@shop.example"), 3))
                .thenRejects(NotFound.class, "has been deleted");
        givenMailbox(CREATED, deletion)
                .when(mailbox -> mailbox.delete(UNTIL))
                .thenRejects(NotFound.class, "has been deleted");
    }

    @Test
    void releasesEachFormerAddressExactlyOnce() {
        MailboxDeleted deletion = new MailboxDeleted(ID, "anna@shop.example", List.of("a@shop.example"), "MAIL_LIGHT",
                UNTIL);
        givenMailbox(CREATED, new AliasAdded(ID, "a@shop.example"), deletion)
                .when(mailbox -> mailbox.releaseAddress("a@shop.example"))
                .then(new AddressReleased(ID, "a@shop.example"));
        givenMailbox(CREATED, new AliasAdded(ID, "a@shop.example"), deletion, new AddressReleased(ID, "a@shop.example"))
                .when(mailbox -> mailbox.releaseAddress("a@shop.example"))
                .then();
    }

    @Test
    void aLiveAddressIsNeverReleased() {
        givenMailbox(CREATED, new AliasAdded(ID, "a@shop.example"))
                .when(mailbox -> mailbox.releaseAddress("a@shop.example"))
                .then();
    }

    @Test
    void aPasswordChangeIsRecordedWithoutTheSecret() {
        givenMailbox(CREATED)
                .when(Mailbox::changePassword)
                .then(new PasswordChanged(ID, "anna@shop.example"));
    }

    @Test
    void movesToAnotherRateNamingBoth() {
        Mailbox changed = givenMailbox(CREATED)
                .when(mailbox -> mailbox.changeRate("MAIL_STANDARD", 25))
                .then(new RateChanged(ID, "anna@shop.example", "MAIL_LIGHT", "MAIL_STANDARD"));
        assertThat(changed.rate()).isEqualTo("MAIL_STANDARD");
    }

    @Test
    void theCurrentRateChangesNothing() {
        givenMailbox(CREATED, new RateChanged(ID, "anna@shop.example", "MAIL_LIGHT", "MAIL_PREMIUM"))
                .when(mailbox -> mailbox.changeRate("MAIL_PREMIUM", 50))
                .then();
    }

    @Test
    void refusesARateThatAllowsFewerAliasesThanTheMailboxHasAndNamesTheNumber() {
        AggregateFixture<Mailbox> fiveAliases = givenMailbox(CREATED,
                new RateChanged(ID, "anna@shop.example", "MAIL_LIGHT", "MAIL_STANDARD"),
                new AliasAdded(ID, "a@shop.example"), new AliasAdded(ID, "b@shop.example"),
                new AliasAdded(ID, "c@shop.example"), new AliasAdded(ID, "d@shop.example"),
                new AliasAdded(ID, "e@shop.example"));
        fiveAliases.when(mailbox -> mailbox.changeRate("MAIL_LIGHT", 3))
                .thenRejects(RuleViolation.class, "The mailbox has 5 aliases; the rate MAIL_LIGHT allows 3. "
                        + "Remove aliases first or choose a rate with a higher limit.");
    }

    @Test
    void aRateWhoseLimitTheAliasesExactlyFillIsAllowed() {
        givenMailbox(CREATED, new RateChanged(ID, "anna@shop.example", "MAIL_LIGHT", "MAIL_STANDARD"),
                new AliasAdded(ID, "a@shop.example"), new AliasAdded(ID, "b@shop.example"),
                new AliasAdded(ID, "c@shop.example"))
                .when(mailbox -> mailbox.changeRate("MAIL_LIGHT", 3))
                .then(new RateChanged(ID, "anna@shop.example", "MAIL_STANDARD", "MAIL_LIGHT"));
    }

    @Test
    void theAliasLimitFollowsTheNewRate() {
        givenMailbox(CREATED, new AliasAdded(ID, "a@shop.example"), new AliasAdded(ID, "b@shop.example"),
                new AliasAdded(ID, "c@shop.example"),
                new RateChanged(ID, "anna@shop.example", "MAIL_LIGHT", "MAIL_STANDARD"))
                .when(mailbox -> mailbox.addAlias(EmailAddress.parse("d@shop.example"), 25))
                .then(new AliasAdded(ID, "d@shop.example"));
    }

    @Test
    void aDeletedMailboxChangesNeitherPasswordNorRate() {
        MailboxDeleted deletion = new MailboxDeleted(ID, "anna@shop.example", List.of(), "MAIL_LIGHT", UNTIL);
        givenMailbox(CREATED, deletion)
                .when(Mailbox::changePassword)
                .thenRejects(NotFound.class, "has been deleted");
        givenMailbox(CREATED, deletion)
                .when(mailbox -> mailbox.changeRate("MAIL_STANDARD", 25))
                .thenRejects(NotFound.class, "has been deleted");
    }

    @Test
    void aDeletionAfterARateChangeNamesTheNewRate() {
        givenMailbox(CREATED, new RateChanged(ID, "anna@shop.example", "MAIL_LIGHT", "MAIL_PREMIUM"))
                .when(mailbox -> mailbox.delete(UNTIL))
                .then(new MailboxDeleted(ID, "anna@shop.example", List.of(), "MAIL_PREMIUM", UNTIL));
    }

    @Test
    void historyGivesTheExpectedVersion() {
        Mailbox mailbox = Mailbox.fromHistory(List.of(CREATED, new AliasAdded(ID, "a@shop.example")));
        assertThat(mailbox.loadedVersion()).isEqualTo(2);
        assertThat(mailbox.aliases()).containsExactly("a@shop.example");
    }

    @Test
    void changingTheBasicFeeRecordsOldAndNewPlan() {
        AggregateFixture.given(history -> TenantAccount.fromHistory("BUSINESS_RESELLER", history))
                .when(account -> account.changeBasicFee("BUSINESS_SUPPORT"))
                .then(new FeeChanged("BUSINESS_RESELLER", "BUSINESS_SUPPORT"));
        AggregateFixture.given(history -> TenantAccount.fromHistory("BUSINESS_RESELLER", history),
                new FeeChanged("BUSINESS_RESELLER", "BUSINESS_SUPPORT"))
                .when(account -> account.changeBasicFee("BUSINESS_SUPPORT"))
                .then();
    }

    @Test
    void theTenantAccountLoadsFromItsLastEventAlone() {
        TenantAccount account = TenantAccount.fromLatest("BUSINESS_RESELLER",
                java.util.Optional.of(new FeeChanged("BUSINESS_SUPPORT", "BUSINESS_PREMIUM")), 7);

        assertThat(account.basicFeePlan()).isEqualTo("BUSINESS_PREMIUM");
        assertThat(account.loadedVersion()).as("appends after the stream's last version").isEqualTo(7);
        account.changeBasicFee("BUSINESS_PREMIUM");
        assertThat(account.pendingEvents()).isEmpty();
        account.changeBasicFee("BUSINESS_RESELLER");
        assertThat(account.pendingEvents()).containsExactly(new FeeChanged("BUSINESS_PREMIUM", "BUSINESS_RESELLER"));
        assertThat(TenantAccount.fromLatest("BUSINESS_RESELLER", java.util.Optional.empty(), 0).basicFeePlan())
                .isEqualTo("BUSINESS_RESELLER");
    }

    @Test
    void aMailboxAtADomainWhoseClaimExpiredIsDeletedAndItsAddressesFreedAtOnce() {
        Instant now = Instant.parse("2026-12-08T10:00:00Z");
        givenMailbox(CREATED, new AliasAdded(ID, "sales@shop.example"), new AliasAdded(ID, "anna@other.example"))
                .when(mailbox -> mailbox.deleteWithExpiredDomain(now))
                .then(new MailboxDeleted(ID, "anna@shop.example", List.of("sales@shop.example", "anna@other.example"),
                                "MAIL_LIGHT", now),
                        new AddressReleased(ID, "anna@shop.example"), new AddressReleased(ID, "sales@shop.example"),
                        new AddressReleased(ID, "anna@other.example"));
    }

    @Test
    void anAddressStillInQuarantineStaysThereWhenTheDomainsClaimExpires() {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");
        givenMailbox(CREATED, new AliasAdded(ID, "old@other.example"), new AliasRemoved(ID, "old@other.example", UNTIL))
                .when(mailbox -> mailbox.deleteWithExpiredDomain(now))
                .then(new MailboxDeleted(ID, "anna@shop.example", List.of(), "MAIL_LIGHT", now),
                        new AddressReleased(ID, "anna@shop.example"));
    }

    @Test
    void onlyTheAliasesAtTheExpiredDomainAreRemovedAndFreedAtOnce() {
        Instant now = Instant.parse("2026-12-08T10:00:00Z");
        givenMailbox(CREATED, new AliasAdded(ID, "anna@pending.example"), new AliasAdded(ID, "sales@shop.example"))
                .when(mailbox -> mailbox.removeAliasesAt(DomainName.of("pending.example"), now))
                .then(new AliasRemoved(ID, "anna@pending.example", now), new AddressReleased(ID, "anna@pending.example"));
    }
}
