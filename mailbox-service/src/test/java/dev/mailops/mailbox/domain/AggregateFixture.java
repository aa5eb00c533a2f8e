package dev.mailops.mailbox.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.mailops.mailbox.domain.event.MailboxEvent;

/** Given past events, when a command runs, then these events (or this error): no infrastructure involved. */
final class AggregateFixture<A extends EventSourced> {

    private final A aggregate;
    private Consumer<A> command = aggregate -> {
    };

    private AggregateFixture(A aggregate) {
        this.aggregate = aggregate;
    }

    static AggregateFixture<Mailbox> givenMailbox(MailboxEvent... history) {
        return new AggregateFixture<>(Mailbox.fromHistory(List.of(history)));
    }

    static <A extends EventSourced> AggregateFixture<A> given(Function<List<MailboxEvent>, A> rebuild,
            MailboxEvent... history) {
        return new AggregateFixture<>(rebuild.apply(List.of(history)));
    }

    AggregateFixture<A> when(Consumer<A> command) {
        this.command = command;
        return this;
    }

    A then(MailboxEvent... expected) {
        command.accept(aggregate);
        assertThat(aggregate.pendingEvents()).containsExactly(expected);
        return aggregate;
    }

    void thenRejects(Class<? extends RuntimeException> error, String messagePart) {
        assertThatThrownBy(() -> command.accept(aggregate)).isInstanceOf(error).hasMessageContaining(messagePart);
        assertThat(aggregate.pendingEvents()).isEmpty();
    }
}
