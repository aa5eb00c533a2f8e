package dev.mailops.billing.contract.rules;

import static dev.mailops.billing.contract.rules.ContractFixture.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.mailops.billing.events.BilledEvent;
import dev.mailops.billing.events.MailboxEvents.FeeChanged;
import dev.mailops.billing.events.MailboxEvents.MailboxCreated;
import dev.mailops.billing.events.MailboxEvents.MailboxDeleted;
import dev.mailops.billing.events.MailboxEvents.RateChanged;

class ContractRulesTest {

    static final String TENANT = "shop";
    static final UUID ANNA = UUID.fromString("2f1c7e0a-6d7b-4c39-9a55-1b0a3c9e8d11");
    static final UUID BOB = UUID.fromString("7a0e5d2c-1b3f-4e8a-9c6d-5f4e3d2c1b0a");
    static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    static final BilledEvent ANNA_CREATED = created(TENANT, ANNA, "anna@shop.de", "MAIL_STANDARD", T0);
    static final BilledEvent BOB_CREATED = created(TENANT, BOB, "bob@shop.de", "MAIL_PREMIUM", T0.plusSeconds(60));

    static BilledEvent created(String tenant, UUID mailbox, String address, String rate, Instant at) {
        return new BilledEvent(UUID.randomUUID(), "MailboxCreated", tenant, mailbox.toString(), at,
                new MailboxCreated(mailbox, address, rate));
    }

    static BilledEvent deleted(String tenant, UUID mailbox, String address, Instant at) {
        return new BilledEvent(UUID.randomUUID(), "MailboxDeleted", tenant, mailbox.toString(), at,
                new MailboxDeleted(mailbox, address, at.plusSeconds(48 * 3600)));
    }

    static BilledEvent feeChanged(String oldPlan, String newPlan, Instant at) {
        return new BilledEvent(UUID.randomUUID(), "FeeChanged", TENANT, TENANT, at, new FeeChanged(oldPlan, newPlan));
    }

    static BilledEvent rateChanged(String tenant, UUID mailbox, String address, String from, String to, Instant at) {
        return new BilledEvent(UUID.randomUUID(), "RateChanged", tenant, mailbox.toString(), at,
                new RateChanged(mailbox, address, from, to));
    }

    static Revision revision(BilledEvent cause, int number, String change, String plan, int mailboxes, String total) {
        return new Revision(cause.tenantId(), number, cause.id(), cause.type(), cause.subject(), cause.time(), change,
                plan, mailboxes, new BigDecimal(total));
    }

    @Test
    void theFirstMailboxOpensTheContractOnTheDefaultPlanAndBillsTheMailboxFromItsCreation() {
        InMemoryContracts contracts = given()
                .when(ANNA_CREATED)
                .then(revision(ANNA_CREATED, 1, "Mailbox anna@shop.de added at rate MAIL_STANDARD (3.00 EUR net per month)",
                        "BUSINESS_RESELLER", 1, "3.00"));
        assertThat(contracts.openLine(ANNA)).isEqualTo(new MailboxLine(ANNA, TENANT, "anna@shop.de", "MAIL_STANDARD",
                new BigDecimal("3.00"), T0, null, false));
        assertThat(contracts.periods()).containsExactly(
                new FeePeriod(TENANT, "BUSINESS_RESELLER", new BigDecimal("0.00"), T0, null));
        assertThat(contracts.contract(TENANT)).isEqualTo(new ContractHead(TENANT, 1, "BUSINESS_RESELLER", 1,
                new BigDecimal("3.00"), new BigDecimal("0.00"), T0, T0));
    }

    @Test
    void aMailboxAlreadyOnTheContractChangesNothing() {
        given(ANNA_CREATED).when(ANNA_CREATED).thenNothing(); // the same event again
        given(ANNA_CREATED).when(created(TENANT, ANNA, "anna@shop.de", "MAIL_PREMIUM", T0.plusSeconds(5)))
                .thenNothing(); // another event for a mailbox that has its line
    }

    @Test
    void aDeletedMailboxIsBilledUntilItsDeletionAndLeavesTheTotal() {
        Instant deletion = T0.plusSeconds(86_400 * 7);
        BilledEvent bobDeleted = deleted(TENANT, BOB, "bob@shop.de", deletion);
        InMemoryContracts contracts = given(ANNA_CREATED, BOB_CREATED)
                .when(bobDeleted)
                .then(revision(bobDeleted, 3, "Mailbox bob@shop.de removed", "BUSINESS_RESELLER", 1, "3.00"));
        assertThat(contracts.openLine(BOB)).as("ended").isNull();
        assertThat(contracts.known(BOB)).isTrue();
        assertThat(contracts.lines()).containsExactly(
                new MailboxLine(BOB, TENANT, "bob@shop.de", "MAIL_PREMIUM", new BigDecimal("9.00"), T0.plusSeconds(60),
                        deletion, false),
                new MailboxLine(ANNA, TENANT, "anna@shop.de", "MAIL_STANDARD", new BigDecimal("3.00"), T0, null, false));
    }

    @Test
    void aDeletionWithoutAnOpenLineChangesNothing() {
        given(ANNA_CREATED).when(deleted(TENANT, BOB, "bob@shop.de", T0.plusSeconds(60))).thenNothing(); // unknown
        BilledEvent annaDeleted = deleted(TENANT, ANNA, "anna@shop.de", T0.plusSeconds(60));
        given(ANNA_CREATED, annaDeleted).when(annaDeleted).thenNothing(); // redelivered
        given(ANNA_CREATED, annaDeleted).when(deleted(TENANT, ANNA, "anna@shop.de", T0.plusSeconds(120)))
                .thenNothing(); // already ended
        given(ANNA_CREATED).when(deleted("other-tenant", ANNA, "anna@shop.de", T0.plusSeconds(60)))
                .thenNothing(); // not this tenant's mailbox
    }

    @Test
    void aFeeChangeEndsTheBookedPlanAndBooksTheNewOneAtItsPrice() {
        Instant change = T0.plusSeconds(86_400 * 10);
        BilledEvent toSupport = feeChanged("BUSINESS_RESELLER", "BUSINESS_SUPPORT", change);
        InMemoryContracts contracts = given(ANNA_CREATED)
                .when(toSupport)
                .then(revision(toSupport, 2,
                        "Basic fee changed from BUSINESS_RESELLER to BUSINESS_SUPPORT (4.90 EUR net per month)",
                        "BUSINESS_SUPPORT", 1, "7.90"));
        assertThat(contracts.periods()).containsExactly(
                new FeePeriod(TENANT, "BUSINESS_RESELLER", new BigDecimal("0.00"), T0, change),
                new FeePeriod(TENANT, "BUSINESS_SUPPORT", new BigDecimal("4.90"), change, null));
    }

    @Test
    void aFeeChangeToTheBookedPlanChangesNothing() {
        BilledEvent toSupport = feeChanged("BUSINESS_RESELLER", "BUSINESS_SUPPORT", T0);
        given(toSupport).when(toSupport).thenNothing(); // redelivered
        given(toSupport).when(feeChanged("BUSINESS_SUPPORT", "BUSINESS_SUPPORT", T0.plusSeconds(60))).thenNothing();
    }

    @Test
    void aFeeChangeToTheDefaultPlanAsTheFirstEventOpensTheContractWithoutARevision() {
        InMemoryContracts contracts = given()
                .when(feeChanged("BUSINESS_PREMIUM", "BUSINESS_RESELLER", T0))
                .thenNoRevision();
        assertThat(contracts.contract(TENANT).revision()).isZero();
        assertThat(contracts.periods()).containsExactly(
                new FeePeriod(TENANT, "BUSINESS_RESELLER", new BigDecimal("0.00"), T0, null));
    }

    @Test
    void aRateChangeEndsTheOldRatesLineAndBillsTheNewRateFromTheChange() {
        Instant change = T0.plusSeconds(86_400 * 9);
        BilledEvent annaToLight = rateChanged(TENANT, ANNA, "anna@shop.de", "MAIL_STANDARD", "MAIL_LIGHT", change);
        InMemoryContracts contracts = given(ANNA_CREATED, BOB_CREATED)
                .when(annaToLight)
                .then(revision(annaToLight, 3,
                        "Mailbox anna@shop.de changed from rate MAIL_STANDARD to MAIL_LIGHT (1.00 EUR net per month)",
                        "BUSINESS_RESELLER", 2, "10.00"));
        assertThat(contracts.lines()).containsExactly(
                new MailboxLine(ANNA, TENANT, "anna@shop.de", "MAIL_STANDARD", new BigDecimal("3.00"), T0, change, true),
                new MailboxLine(BOB, TENANT, "bob@shop.de", "MAIL_PREMIUM", new BigDecimal("9.00"), T0.plusSeconds(60),
                        null, false),
                new MailboxLine(ANNA, TENANT, "anna@shop.de", "MAIL_LIGHT", new BigDecimal("1.00"), change, null, false));
        assertThat(contracts.openLine(ANNA).rate()).isEqualTo("MAIL_LIGHT");
        assertThat(contracts.contract(TENANT)).isEqualTo(new ContractHead(TENANT, 3, "BUSINESS_RESELLER", 2,
                new BigDecimal("10.00"), new BigDecimal("0.00"), T0, change));
    }

    @Test
    void aMailboxDeletedAfterRateChangesEndsTheLineOfItsLastRate() {
        BilledEvent toPremium = rateChanged(TENANT, ANNA, "anna@shop.de", "MAIL_STANDARD", "MAIL_PREMIUM",
                T0.plusSeconds(3_600));
        BilledEvent toLight = rateChanged(TENANT, ANNA, "anna@shop.de", "MAIL_PREMIUM", "MAIL_LIGHT",
                T0.plusSeconds(7_200));
        Instant deletion = T0.plusSeconds(86_400);
        BilledEvent annaDeleted = deleted(TENANT, ANNA, "anna@shop.de", deletion);
        InMemoryContracts contracts = given(ANNA_CREATED, toPremium, toLight)
                .when(annaDeleted)
                .then(revision(annaDeleted, 4, "Mailbox anna@shop.de removed", "BUSINESS_RESELLER", 0, "0.00"));
        assertThat(contracts.lines()).extracting(MailboxLine::rate, MailboxLine::endsAt, MailboxLine::replaced)
                .containsExactly(
                        tuple("MAIL_STANDARD", T0.plusSeconds(3_600), true),
                        tuple("MAIL_PREMIUM", T0.plusSeconds(7_200), true),
                        tuple("MAIL_LIGHT", deletion, false));
    }

    /** The rebuild's store: what ended is handed on at once and not kept, a deleted mailbox is still known. */
    @Test
    void aStoreThatHandsOnWhatEndedKeepsOnlyWhatIsOpen() {
        List<MailboxLine> endedLines = new ArrayList<>();
        List<FeePeriod> endedPeriods = new ArrayList<>();
        InMemoryContracts contracts = new InMemoryContracts(endedLines::add, endedPeriods::add,
                mailbox -> endedLines.stream().anyMatch(line -> line.mailboxId().equals(mailbox) && !line.replaced()));
        ContractRules rules = new ContractRules(ContractFixture.CATALOG);
        Instant later = T0.plusSeconds(86_400);
        Stream.of(ANNA_CREATED, BOB_CREATED, rateChanged(TENANT, ANNA, "anna@shop.de", "MAIL_STANDARD", "MAIL_LIGHT", later),
                deleted(TENANT, BOB, "bob@shop.de", later), feeChanged("BUSINESS_RESELLER", "BUSINESS_SUPPORT", later))
                .forEach(event -> assertThat(rules.apply(event, contracts)).isPresent());

        assertThat(endedLines).extracting(MailboxLine::mailboxId, MailboxLine::rate, MailboxLine::endsAt,
                MailboxLine::replaced).containsExactly(tuple(ANNA, "MAIL_STANDARD", later, true),
                        tuple(BOB, "MAIL_PREMIUM", later, false));
        assertThat(endedPeriods).extracting(FeePeriod::plan, FeePeriod::endsAt)
                .containsExactly(tuple("BUSINESS_RESELLER", later));
        assertThat(contracts.lines()).extracting(MailboxLine::mailboxId, MailboxLine::rate)
                .containsExactly(tuple(ANNA, "MAIL_LIGHT"));
        assertThat(contracts.periods()).extracting(FeePeriod::plan).containsExactly("BUSINESS_SUPPORT");
        assertThat(contracts.known(BOB)).as("deleted, and still known (through the caller's record)").isTrue();
        assertThat(contracts.known(ANNA)).isTrue();
        assertThat(rules.apply(BOB_CREATED, contracts)).as("a known mailbox changes nothing").isEmpty();
        assertThat(rules.apply(deleted(TENANT, BOB, "bob@shop.de", later.plusSeconds(60)), contracts)).isEmpty();
    }

    @Test
    void aRateChangeToTheBookedRateOrWithoutAnOpenLineChangesNothing() {
        BilledEvent annaToLight = rateChanged(TENANT, ANNA, "anna@shop.de", "MAIL_STANDARD", "MAIL_LIGHT", T0.plusSeconds(60));
        given(ANNA_CREATED, annaToLight).when(annaToLight).thenNothing(); // redelivered
        given(ANNA_CREATED).when(rateChanged(TENANT, ANNA, "anna@shop.de", "MAIL_LIGHT", "MAIL_STANDARD",
                T0.plusSeconds(60))).thenNothing(); // the rate it is booked at
        given(ANNA_CREATED).when(rateChanged(TENANT, BOB, "bob@shop.de", "MAIL_PREMIUM", "MAIL_LIGHT",
                T0.plusSeconds(60))).thenNothing(); // unknown
        given(ANNA_CREATED, deleted(TENANT, ANNA, "anna@shop.de", T0.plusSeconds(60)))
                .when(rateChanged(TENANT, ANNA, "anna@shop.de", "MAIL_STANDARD", "MAIL_LIGHT", T0.plusSeconds(120)))
                .thenNothing(); // deleted
        given(ANNA_CREATED).when(rateChanged("other-tenant", ANNA, "anna@shop.de", "MAIL_STANDARD", "MAIL_LIGHT",
                T0.plusSeconds(60))).thenNothing(); // not this tenant's mailbox
    }

    @Test
    void aMailboxWhoseRateChangedIsStillKnownToACreation() {
        BilledEvent annaToLight = rateChanged(TENANT, ANNA, "anna@shop.de", "MAIL_STANDARD", "MAIL_LIGHT", T0.plusSeconds(60));
        given(ANNA_CREATED, annaToLight).when(ANNA_CREATED).thenNothing();
    }

    @Test
    void eachRevisionReportsTheRunningTotalsAfterIt() {
        BilledEvent toSupport = feeChanged("BUSINESS_RESELLER", "BUSINESS_SUPPORT", T0.plusSeconds(180));
        BilledEvent bobDeleted = deleted(TENANT, BOB, "bob@shop.de", T0.plusSeconds(240));
        BilledEvent annaToPremium = rateChanged(TENANT, ANNA, "anna@shop.de", "MAIL_STANDARD", "MAIL_PREMIUM",
                T0.plusSeconds(300));
        ContractRules rules = new ContractRules(ContractFixture.CATALOG);
        InMemoryContracts contracts = new InMemoryContracts();
        List<String> totals = Stream.of(ANNA_CREATED, BOB_CREATED, toSupport, bobDeleted, annaToPremium)
                .map(event -> rules.apply(event, contracts).orElseThrow())
                .map(r -> r.revision() + ":" + r.activeMailboxes() + ":" + r.basicFeePlan() + ":" + r.monthlyNetTotal())
                .toList();
        assertThat(totals).containsExactly("1:1:BUSINESS_RESELLER:3.00", "2:2:BUSINESS_RESELLER:12.00",
                "3:2:BUSINESS_SUPPORT:16.90", "4:1:BUSINESS_SUPPORT:7.90", "5:1:BUSINESS_SUPPORT:13.90");
        assertThat(contracts.contract(TENANT).updatedAt()).isEqualTo(annaToPremium.time());
        assertThat(contracts.contract(TENANT).createdAt()).isEqualTo(T0);
    }

    @Test
    void eachTenantHasAContractOfItsOwn() {
        BilledEvent otherTenants = created("other", BOB, "bob@other.de", "MAIL_LIGHT", T0.plusSeconds(60));
        InMemoryContracts contracts = given(ANNA_CREATED)
                .when(otherTenants)
                .then(revision(otherTenants, 1, "Mailbox bob@other.de added at rate MAIL_LIGHT (1.00 EUR net per month)",
                        "BUSINESS_RESELLER", 1, "1.00"));
        assertThat(contracts.contract(TENANT).revision()).isEqualTo(1);
        assertThat(contracts.contract(TENANT).monthlyNetTotal()).isEqualByComparingTo("3.00");
    }

    @Test
    void aliasesAndOtherTypesChangeNoContract() {
        given(ANNA_CREATED)
                .when(new BilledEvent(UUID.randomUUID(), "AliasAdded", TENANT, ANNA.toString(), T0.plusSeconds(60), null))
                .thenNothing();
        given().when(new BilledEvent(UUID.randomUUID(), "DomainAdded", TENANT, "shop.de", T0, null)).thenNothing();
    }

    @Test
    void aRateOrPlanMissingFromTheCatalogIsRefusedNotGuessed() {
        given().when(created(TENANT, ANNA, "anna@shop.de", "MAIL_GOLD", T0))
                .thenRejects(IllegalStateException.class, "Rate MAIL_GOLD of mailbox " + ANNA + " is not in this build's catalog");
        given(ANNA_CREATED).when(feeChanged("BUSINESS_RESELLER", "BUSINESS_GOLD", T0.plusSeconds(60)))
                .thenRejects(IllegalStateException.class, "Basic fee plan BUSINESS_GOLD is not in this build's catalog");
        given(ANNA_CREATED).when(rateChanged(TENANT, ANNA, "anna@shop.de", "MAIL_STANDARD", "MAIL_GOLD", T0.plusSeconds(60)))
                .thenRejects(IllegalStateException.class, "Rate MAIL_GOLD of mailbox " + ANNA + " is not in this build's catalog");
    }
}
