package dev.mailops.mailbox.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.mailops.mailbox.domain.event.AddressReleased;
import dev.mailops.mailbox.domain.event.AliasAdded;
import dev.mailops.mailbox.domain.event.AliasRemoved;
import dev.mailops.mailbox.domain.event.MailboxCreated;
import dev.mailops.mailbox.domain.event.MailboxDeleted;
import dev.mailops.mailbox.domain.event.MailboxEvent;
import dev.mailops.mailbox.domain.event.PasswordChanged;
import dev.mailops.mailbox.domain.event.RateChanged;

/**
 * A mailbox with its aliases and rate. Address uniqueness across tenants is not its business (the
 * address registry guards that under concurrency); the mailbox guards its own alias limit and
 * lifecycle. Passwords are not its business either: it only records that one was changed.
 */
public final class Mailbox extends EventSourced {

    private UUID id;
    private String address;
    private String rate;
    private boolean deleted;
    private final Set<String> aliases = new LinkedHashSet<>();
    private final Set<String> awaitingRelease = new LinkedHashSet<>();

    /** A new mailbox of the given rate; the rules of its fields were checked by {@link NewMailbox}. */
    public static Mailbox create(UUID id, NewMailbox fields, String rate) {
        Mailbox mailbox = new Mailbox();
        EmailAddress address = fields.address();
        mailbox.emit(new MailboxCreated(id, address.toString(), address.localPart(), address.domain().name(),
                fields.firstName().value(), fields.lastName().value(), fields.systemUserId().value(),
                fields.forwarding().targets(), fields.forwarding().keepCopy(), rate));
        return mailbox;
    }

    public static Mailbox fromHistory(List<? extends MailboxEvent> history) {
        Mailbox mailbox = new Mailbox();
        mailbox.replay(history);
        return mailbox;
    }

    public void addAlias(EmailAddress alias, int aliasLimit) {
        requireActive();
        String value = alias.toString();
        if (value.equals(address) || aliases.contains(value)) {
            throw new RuleViolation("address-taken", "Address already in use", value + " already delivers to this mailbox",
                    Map.of("address", value));
        }
        requireAliasLimit(rate, aliasLimit, aliases.size() + 1);
        emit(new AliasAdded(id, value));
    }

    /** Records a new password; the caller checked it against the policy and keeps its hash. */
    public void changePassword() {
        requireActive();
        emit(new PasswordChanged(id, address));
    }

    /** Moves the mailbox to another rate, whose alias limit it must fit; the current rate changes nothing. */
    public void changeRate(String newRate, int newAliasLimit) {
        requireActive();
        if (newRate.equals(rate)) {
            return;
        }
        requireAliasLimit(newRate, newAliasLimit, aliases.size());
        emit(new RateChanged(id, address, rate, newRate));
    }

    public void removeAlias(EmailAddress alias, Instant blockedUntil) {
        requireActive();
        String value = alias.toString();
        if (!aliases.contains(value)) {
            throw new NotFound(value + " is not an alias of mailbox " + id);
        }
        emit(new AliasRemoved(id, value, blockedUntil));
    }

    public void delete(Instant blockedUntil) {
        requireActive();
        emit(new MailboxDeleted(id, address, List.copyOf(aliases), rate, blockedUntil));
    }

    /**
     * Deletes the mailbox because the claim of its domain expired unproven, and releases its addresses
     * at once: the 48-hour block keeps mail meant for an address's former holder from reaching a new
     * one, and nothing at a domain never proven was ever delivered or logged in to; a block would only
     * let the expired claimant keep the owner from these addresses two days longer.
     */
    public void deleteWithExpiredDomain(Instant now) {
        List<String> addresses = new ArrayList<>(aliases);
        addresses.add(0, address);
        delete(now);
        addresses.forEach(this::releaseAddress);
    }

    /** Removes, and releases at once, the aliases at a domain whose claim expired (see {@link #deleteWithExpiredDomain}). */
    public void removeAliasesAt(DomainName domain, Instant now) {
        requireActive();
        for (String alias : List.copyOf(aliases)) {
            if (alias.endsWith("@" + domain.name())) {
                emit(new AliasRemoved(id, alias, now));
                releaseAddress(alias);
            }
        }
    }

    /** Ends the quarantine of one of this mailbox's former addresses; a second release is a no-op. */
    public void releaseAddress(String formerAddress) {
        if (awaitingRelease.contains(formerAddress)) {
            emit(new AddressReleased(id, formerAddress));
        }
    }

    @Override
    protected void apply(MailboxEvent event) {
        if (event instanceof MailboxCreated created) {
            id = created.mailboxId();
            address = created.address();
            rate = created.rate();
        } else if (event instanceof AliasAdded added) {
            aliases.add(added.alias());
        } else if (event instanceof AliasRemoved removed) {
            aliases.remove(removed.alias());
            awaitingRelease.add(removed.alias());
        } else if (event instanceof MailboxDeleted deletion) {
            deleted = true;
            awaitingRelease.add(deletion.address());
            awaitingRelease.addAll(deletion.aliases());
            aliases.clear();
        } else if (event instanceof AddressReleased released) {
            awaitingRelease.remove(released.address());
        } else if (event instanceof RateChanged changed) {
            rate = changed.rate();
        } else if (event instanceof PasswordChanged) {
            // Nothing the mailbox decides on depends on its password.
        } else {
            throw new IllegalArgumentException("A mailbox does not handle " + event.type());
        }
    }

    /**
     * The rate's alias limit: a mailbox never has more aliases than its rate allows, neither by adding
     * one to a full mailbox ({@code rateId} is its rate) nor by moving to a rate with a lower limit.
     */
    private void requireAliasLimit(String rateId, int aliasLimit, int aliasesAfter) {
        if (aliasesAfter <= aliasLimit) {
            return;
        }
        String detail = rateId.equals(rate)
                ? "The rate " + rate + " allows " + aliasLimit + " aliases per mailbox and this mailbox has "
                        + aliases.size() + "; choose a rate with a higher limit or remove an alias first"
                : "The mailbox has " + aliases.size() + " aliases; the rate " + rateId + " allows " + aliasLimit
                        + ". Remove aliases first or choose a rate with a higher limit.";
        throw new RuleViolation("alias-limit-reached", "Alias limit of the rate reached", detail,
                Map.of("rate", rateId, "aliasLimit", aliasLimit, "aliasCount", aliases.size()));
    }

    private void requireActive() {
        if (deleted) {
            throw new NotFound("Mailbox " + id + " has been deleted");
        }
    }

    public UUID id() {
        return id;
    }

    public String address() {
        return address;
    }

    public String rate() {
        return rate;
    }

    public boolean deleted() {
        return deleted;
    }

    public Set<String> aliases() {
        return Set.copyOf(aliases);
    }
}
