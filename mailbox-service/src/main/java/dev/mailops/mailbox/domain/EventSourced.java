package dev.mailops.mailbox.domain;

import java.util.ArrayList;
import java.util.List;

import dev.mailops.mailbox.domain.event.MailboxEvent;

/**
 * An aggregate rebuilt from its own events. Command methods only check rules and {@link #emit} events;
 * {@link #apply} is the one place state changes, used both for new events and for history.
 */
public abstract class EventSourced {
    private int version;
    private final List<MailboxEvent> pending = new ArrayList<>();

    protected abstract void apply(MailboxEvent event);

    protected final void emit(MailboxEvent event) {
        apply(event);
        pending.add(event);
    }

    /** Replays stored history; the version becomes that of the last stored event. */
    public final void replay(List<? extends MailboxEvent> history) {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("Cannot replay history into an aggregate with unsaved events");
        }
        history.forEach(this::apply);
        version += history.size();
    }

    /**
     * Rebuilds from the stream's last event alone, for an aggregate whose state that event fully
     * determines: loading stays one row however long the stream grows.
     */
    protected final void restoreFromLast(MailboxEvent last, int streamVersion) {
        if (!pending.isEmpty() || version != 0) {
            throw new IllegalStateException("Cannot restore an aggregate that has state");
        }
        apply(last);
        version = streamVersion;
    }

    /** The version the stream had when this aggregate was loaded: the expected version for the append. */
    public final int loadedVersion() {
        return version;
    }

    public final List<MailboxEvent> pendingEvents() {
        return List.copyOf(pending);
    }
}
