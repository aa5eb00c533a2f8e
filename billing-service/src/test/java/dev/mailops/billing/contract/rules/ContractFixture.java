package dev.mailops.billing.contract.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.events.BilledEvent;

/**
 * Given past mailbox events, when one more is applied, then this revision (or none, or this error):
 * the real rules and the real catalog against contracts in memory, no infrastructure involved.
 */
final class ContractFixture {

    static final Catalog CATALOG = new Catalog(new ObjectMapper());

    private final ContractRules rules = new ContractRules(CATALOG);
    private final InMemoryContracts contracts = new InMemoryContracts();
    private BilledEvent event;

    private ContractFixture() {
    }

    static ContractFixture given(BilledEvent... history) {
        ContractFixture fixture = new ContractFixture();
        for (BilledEvent past : history) {
            fixture.rules.apply(past, fixture.contracts);
        }
        return fixture;
    }

    ContractFixture when(BilledEvent event) {
        this.event = event;
        return this;
    }

    /** The event revised the contract as expected; returns the contracts for a closer look. */
    InMemoryContracts then(Revision expected) {
        assertThat(rules.apply(event, contracts)).contains(expected);
        return contracts;
    }

    /** The event changed nothing: no revision, and every contract, line and period as before. */
    InMemoryContracts thenNothing() {
        List<ContractHead> heads = List.copyOf(contracts.contracts());
        List<MailboxLine> lines = List.copyOf(contracts.lines());
        List<FeePeriod> periods = List.copyOf(contracts.periods());
        Optional<Revision> revision = rules.apply(event, contracts);
        assertThat(revision).isEmpty();
        assertThat(contracts.contracts()).containsExactlyInAnyOrderElementsOf(heads);
        assertThat(contracts.lines()).containsExactlyInAnyOrderElementsOf(lines);
        assertThat(contracts.periods()).containsExactlyElementsOf(periods);
        return contracts;
    }

    /** The event raised no revision (it may still have opened the contract). */
    InMemoryContracts thenNoRevision() {
        assertThat(rules.apply(event, contracts)).isEmpty();
        return contracts;
    }

    void thenRejects(Class<? extends RuntimeException> error, String messagePart) {
        assertThatThrownBy(() -> rules.apply(event, contracts)).isInstanceOf(error).hasMessageContaining(messagePart);
    }
}
