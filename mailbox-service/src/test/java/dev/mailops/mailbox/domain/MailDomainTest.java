package dev.mailops.mailbox.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.mailops.mailbox.domain.event.DomainAdded;
import dev.mailops.mailbox.domain.event.DomainVerified;

/**
 * A mail domain belongs to the one tenant that registered it first, and is pending until that tenant
 * proves it (the TXT record with the domain's token), unless the deployment asks for no proof.
 */
class MailDomainTest {

    static final DomainName SHOP = DomainName.of("shop.example");
    static final String TOKEN = "q3Jb0m9mX1N4cHZpV2t0cE9xYlNlR2h6YjFkZA";
    static final Supplier<String> NEW_TOKEN = () -> TOKEN;
    static final String RECORD = "_mailops-verification.shop.example";
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void registersANewDomainPendingWithItsToken() {
        MailDomain domain = AggregateFixture.given(history -> MailDomain.fromHistory(SHOP, null, history))
                .when(registering -> registering.register("t-1", DomainOwnership.DNS_TXT, NEW_TOKEN, NOW))
                .then(new DomainAdded("shop.example", TOKEN));
        assertThat(domain.verified()).isFalse();
        assertThat(domain.verificationToken()).isEqualTo(TOKEN);
    }

    @Test
    void withoutProofAskedTheDomainIsVerifiedWhenRegistered() {
        MailDomain domain = AggregateFixture.given(history -> MailDomain.fromHistory(SHOP, null, history))
                .when(registering -> registering.register("t-1", DomainOwnership.NONE, NEW_TOKEN, NOW))
                .then(new DomainAdded("shop.example"), new DomainVerified("shop.example", "none"));
        assertThat(domain.verified()).isTrue();
    }

    @Test
    void aDomainRegisteredBeforeProofWasRequiredCountsAsVerified() {
        MailDomain domain = MailDomain.fromHistory(SHOP, "t-1", List.of(new DomainAdded("shop.example")));
        assertThat(domain.verified()).isTrue();
        AggregateFixture.given(history -> MailDomain.fromHistory(SHOP, "t-1", history), new DomainAdded("shop.example"))
                .when(verified -> verified.verify((name, value) -> {
                    throw new AssertionError("a verified domain asks no resolver");
                }))
                .then();
    }

    @Test
    void thePublishedRecordVerifiesAPendingDomain() {
        List<String> asked = new ArrayList<>();
        AggregateFixture.given(history -> MailDomain.fromHistory(SHOP, "t-1", history), new DomainAdded("shop.example", TOKEN))
                .when(pending -> pending.verify((name, value) -> {
                    asked.add(name + " " + value);
                    return true;
                }))
                .then(new DomainVerified("shop.example", "dns-txt"));
        assertThat(asked).containsExactly(RECORD + " mailops-verification=" + TOKEN);
    }

    @Test
    void withoutTheRecordTheRefusalNamesTheRecordToCreate() {
        MailDomain pending = MailDomain.fromHistory(SHOP, "t-1", List.of(new DomainAdded("shop.example", TOKEN)));
        assertThatThrownBy(() -> pending.verify((name, value) -> false)).isInstanceOfSatisfying(RuleViolation.class,
                refused -> {
                    assertThat(refused.code()).isEqualTo("domain-not-verified");
                    assertThat(refused.details()).isEqualTo(Map.of("domain", "shop.example", "recordName", RECORD,
                            "recordType", "TXT", "recordValue", "mailops-verification=" + TOKEN));
                });
        assertThat(pending.pendingEvents()).isEmpty();
        assertThat(pending.verified()).isFalse();
    }

    @Test
    void aVerifiedDomainIsVerifiedOnce() {
        AggregateFixture.given(history -> MailDomain.fromHistory(SHOP, "t-1", history),
                new DomainAdded("shop.example", TOKEN), new DomainVerified("shop.example", "dns-txt"))
                .when(verified -> verified.verify((name, value) -> true))
                .then();
    }

    @Test
    void registeringItAgainForItsOwnerChangesNothing() {
        MailDomain domain = AggregateFixture.given(history -> MailDomain.fromHistory(SHOP, "t-1", history),
                new DomainAdded("shop.example", TOKEN))
                .when(registered -> registered.register("t-1", DomainOwnership.DNS_TXT, () -> "another-token", NOW))
                .then();
        assertThat(domain.registered()).isTrue();
        assertThat(domain.verificationToken()).isEqualTo(TOKEN);
        assertThat(domain.loadedVersion()).isEqualTo(1);
    }

    @Test
    void anotherTenantCannotRegisterIt() {
        AggregateFixture.given(history -> MailDomain.fromHistory(SHOP, "t-1", history), new DomainAdded("shop.example"))
                .when(domain -> domain.register("t-2", DomainOwnership.DNS_TXT, NEW_TOKEN, NOW))
                .thenRejects(RuleViolation.class, "shop.example is registered by another customer");
        MailDomain taken = MailDomain.fromHistory(SHOP, "t-1", List.of(new DomainAdded("shop.example", TOKEN)));
        assertThatThrownBy(() -> taken.register("t-2", DomainOwnership.NONE, NEW_TOKEN, NOW))
                .isInstanceOfSatisfying(RuleViolation.class, violation -> {
                    assertThat(violation.code()).isEqualTo("domain-taken");
                    assertThat(violation.title()).isEqualTo("Domain belongs to another customer");
                    assertThat(violation.details()).isEqualTo(Map.of("domain", "shop.example"));
                });
    }

    @Test
    void thePolicyIsDnsTxtOrNone() {
        assertThat(DomainOwnership.of("dns-txt")).isEqualTo(DomainOwnership.DNS_TXT);
        assertThat(DomainOwnership.of("none")).isEqualTo(DomainOwnership.NONE);
        assertThatThrownBy(() -> DomainOwnership.of("trust-me")).isInstanceOf(InvalidValue.class);
    }
}
