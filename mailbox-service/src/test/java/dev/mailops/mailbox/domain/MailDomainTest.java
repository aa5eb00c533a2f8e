package dev.mailops.mailbox.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mailops.mailbox.domain.event.DomainAdded;

/** A mail domain belongs to the one tenant that registered it first. */
class MailDomainTest {

    static final DomainName SHOP = DomainName.of("shop.example");

    @Test
    void registersANewDomainForTheTenant() {
        AggregateFixture.given(history -> MailDomain.fromHistory(SHOP, null, history))
                .when(domain -> domain.register("t-1"))
                .then(new DomainAdded("shop.example"));
    }

    @Test
    void registeringItAgainForItsOwnerChangesNothing() {
        MailDomain domain = AggregateFixture.given(history -> MailDomain.fromHistory(SHOP, "t-1", history),
                new DomainAdded("shop.example"))
                .when(registered -> registered.register("t-1"))
                .then();
        assertThat(domain.registered()).isTrue();
        assertThat(domain.loadedVersion()).isEqualTo(1);
    }

    @Test
    void anotherTenantCannotRegisterIt() {
        AggregateFixture.given(history -> MailDomain.fromHistory(SHOP, "t-1", history), new DomainAdded("shop.example"))
                .when(domain -> domain.register("t-2"))
                .thenRejects(RuleViolation.class, "shop.example is registered by another customer");
        MailDomain taken = MailDomain.fromHistory(SHOP, "t-1", java.util.List.of(new DomainAdded("shop.example")));
        assertThatThrownBy(() -> taken.register("t-2")).isInstanceOfSatisfying(RuleViolation.class, violation -> {
            assertThat(violation.code()).isEqualTo("domain-taken");
            assertThat(violation.title()).isEqualTo("Domain belongs to another customer");
            assertThat(violation.details()).isEqualTo(Map.of("domain", "shop.example"));
        });
    }
}
