package dev.mailops.mailbox.domain;

import java.util.List;
import java.util.Map;

import dev.mailops.mailbox.domain.event.DomainAdded;
import dev.mailops.mailbox.domain.event.MailboxEvent;

/** A mail domain; it belongs to the one tenant that registered it first. */
public final class MailDomain extends EventSourced {

    private final DomainName name;
    private final String owner;
    private boolean registered;

    private MailDomain(DomainName name, String owner) {
        this.name = name;
        this.owner = owner;
    }

    /** The domain as its stream left it; {@code owner} is the tenant the stream belongs to, null for none. */
    public static MailDomain fromHistory(DomainName name, String owner, List<? extends MailboxEvent> history) {
        MailDomain domain = new MailDomain(name, owner);
        domain.replay(history);
        return domain;
    }

    /**
     * Registers the domain for the tenant. Registering it again for its owner changes nothing and
     * emits nothing; for any other tenant it is refused.
     */
    public void register(String tenantId) {
        if (!registered) {
            emit(new DomainAdded(name.name()));
        } else if (!owner.equals(tenantId)) {
            throw new RuleViolation("domain-taken", "Domain belongs to another customer",
                    name + " is registered by another customer", Map.of("domain", name.name()));
        }
    }

    @Override
    protected void apply(MailboxEvent event) {
        if (event instanceof DomainAdded) {
            registered = true;
        } else {
            throw new IllegalArgumentException("A mail domain does not handle " + event.type());
        }
    }

    public DomainName name() {
        return name;
    }

    public boolean registered() {
        return registered;
    }
}
