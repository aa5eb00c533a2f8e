package dev.mailops.mailbox.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.mailops.mailbox.domain.event.MailboxEvent;

/**
 * Given past events (or none), when a command runs, then these events (or this error): no
 * infrastructure involved.
 */
final class AggregateFixture<A extends EventSourced> {

    private final A aggregate;
    private Supplier<A> command;

    private AggregateFixture(A aggregate) {
        this.aggregate = aggregate;
        this.command = () -> aggregate;
    }

    static AggregateFixture<Mailbox> givenMailbox(MailboxEvent... history) {
        return new AggregateFixture<>(Mailbox.fromHistory(List.of(history)));
    }

    /** No mailbox yet: the command under test creates it. */
    static AggregateFixture<Mailbox> givenNoMailbox() {
        return new AggregateFixture<>(null);
    }

    static <A extends EventSourced> AggregateFixture<A> given(Function<List<MailboxEvent>, A> rebuild,
            MailboxEvent... history) {
        return new AggregateFixture<>(rebuild.apply(List.of(history)));
    }

    AggregateFixture<A> when(Consumer<A> command) {
        this.command = () -> {
            command.accept(aggregate);
            return aggregate;
        };
        return this;
    }

    AggregateFixture<A> whenCreating(Supplier<A> create) {
        this.command = create;
        return this;
    }

    A then(MailboxEvent... expected) {
        A result = command.get();
        assertThat(result.pendingEvents()).containsExactly(expected);
        return result;
    }

    void thenRejects(Class<? extends RuntimeException> error, String messagePart) {
        assertThatThrownBy(command::get).isInstanceOf(error).hasMessageContaining(messagePart);
        assertNothingEmitted();
    }

    /** Rejected for exactly these fields, in this order, with these messages. */
    void thenRejectsFields(FieldViolation... expected) {
        assertThatThrownBy(command::get).isInstanceOfSatisfying(InvalidFields.class,
                rejected -> assertThat(rejected.violations()).containsExactly(expected));
        assertNothingEmitted();
    }

    private void assertNothingEmitted() {
        if (aggregate != null) {
            assertThat(aggregate.pendingEvents()).isEmpty();
        }
    }
}
