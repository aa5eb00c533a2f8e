package dev.mailops.mailbox.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import dev.mailops.mailbox.domain.event.DkimKeyGenerated;
import dev.mailops.mailbox.domain.event.DkimKeyPublished;
import dev.mailops.mailbox.domain.event.DkimKeyRetired;
import dev.mailops.mailbox.domain.event.DkimSelectorActivated;
import dev.mailops.mailbox.domain.event.DomainAdded;
import dev.mailops.mailbox.domain.event.DomainClaimExpired;
import dev.mailops.mailbox.domain.event.DomainVerified;
import dev.mailops.mailbox.domain.event.MailboxEvent;

/**
 * A mail domain; it belongs to the one tenant that registered it first, and is pending until that
 * tenant proves it controls it (see {@link DomainOwnership}). A pending claim holds the name only for
 * the claim's lifetime: unproven by then, it expires and the name is free again. It also owns the domain's
 * DKIM keys, one per selector, through their lifecycle: generated, published (DNS serves it),
 * active (it signs), retiring (replaced, still published until mail signed with it has arrived).
 * Only a published key is ever activated, so no mail is signed with a key that DNS does not serve.
 */
public final class MailDomain extends EventSourced {

    private final DomainName name;
    private final String owner;
    private boolean registered;
    private boolean verified;
    private String verificationToken;
    private final Map<String, DkimKey> dkimKeys = new LinkedHashMap<>();
    private String firstSelector;
    private String activeSelector;
    private Instant reclaimableAt;

    private MailDomain(DomainName name, String owner) {
        this.name = name;
        this.owner = owner;
    }

    /**
     * The domain as its stream left it; {@code owner} is the tenant of the stream's latest event (the
     * one holding the claim, or whose claim expired last), null for an empty stream.
     */
    public static MailDomain fromHistory(DomainName name, String owner, List<? extends MailboxEvent> history) {
        MailDomain domain = new MailDomain(name, owner);
        domain.replay(history);
        return domain;
    }

    /**
     * Registers the domain for the tenant: pending until proven, with the token the proof must carry,
     * or verified at once when the deployment asks for no proof. Registering it again for its owner
     * changes nothing and emits nothing; for any other tenant it is refused. A tenant whose claim
     * expired may claim the name again only from the expiry's {@code reclaimableAt}: the time the
     * real owner has to claim it.
     */
    public void register(String tenantId, DomainOwnership policy, Supplier<String> newToken, Instant now) {
        if (!registered) {
            if (tenantId.equals(owner) && reclaimableAt != null && now.isBefore(reclaimableAt)) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("field", "domain");
                details.put("domain", name.name());
                details.put("availableAt", reclaimableAt.toString());
                throw new RuleViolation("domain-claim-expired", "Domain claim expired",
                        "Your claim of " + name + " expired unproven; you may claim it again from " + reclaimableAt,
                        details);
            }
            if (policy == DomainOwnership.NONE) {
                emit(new DomainAdded(name.name()));
                emit(new DomainVerified(name.name(), DomainOwnership.NONE.method()));
            } else {
                emit(new DomainAdded(name.name(), newToken.get()));
            }
        } else if (!owner.equals(tenantId)) {
            throw new RuleViolation("domain-taken", "Domain belongs to another customer",
                    name + " is registered by another customer", Map.of("domain", name.name()));
        }
    }

    /**
     * Verifies a pending domain when the resolvers find its proof record; a verified domain stays as it
     * is. Without the record the refusal names the record to create.
     */
    public void verify(OwnershipDns dns) {
        if (!registered || verified) {
            return;
        }
        String recordName = DomainOwnership.recordName(name);
        String recordValue = DomainOwnership.recordValue(verificationToken);
        if (!dns.publishes(recordName, recordValue)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("domain", name.name());
            details.put("recordName", recordName);
            details.put("recordType", "TXT");
            details.put("recordValue", recordValue);
            throw new RuleViolation("domain-not-verified", "Domain not verified yet",
                    "No TXT record " + recordValue + " was found at " + recordName
                            + ". Create it at the domain's DNS provider and check again once it is published.",
                    details);
        }
        emit(new DomainVerified(name.name(), DomainOwnership.DNS_TXT.method()));
    }

    /**
     * Ends a pending claim whose lifetime, counted from {@code claimedAt}, has passed: its DKIM keys are
     * retired and the claim expires; its owner may claim the name again one lifetime later. A verified
     * domain never expires, and an expired claim expires once.
     */
    public void expireClaim(Instant claimedAt, Duration lifetime, Instant now) {
        if (!registered || verified || now.isBefore(DomainOwnership.claimExpiresAt(claimedAt, lifetime))) {
            return;
        }
        for (DkimKey key : List.copyOf(dkimKeys.values())) {
            emit(new DkimKeyRetired(name.name(), key.selector(), key.keyId()));
        }
        emit(new DomainClaimExpired(name.name(), now.plus(lifetime)));
    }

    /** A registered domain without keys gets one under each selector; a domain with keys keeps them. */
    public void generateDkimKeys(DkimSelectors selectors, DkimKeySource keys) {
        if (!registered || !dkimKeys.isEmpty()) {
            return;
        }
        selectors.both().forEach(selector -> generateDkimKey(selector, keys));
    }

    /**
     * Records every key that is not yet published and that DNS serves now. Once the first selector's
     * key is published and no key signs yet, it starts signing.
     */
    public void publishServedDkimKeys(DkimDns dns) {
        for (DkimKey key : List.copyOf(dkimKeys.values())) {
            if (!key.published() && dns.serves(key)) {
                emit(new DkimKeyPublished(name.name(), key.selector(), key.keyId()));
            }
        }
        DkimKey first = firstSelector == null ? null : dkimKeys.get(firstSelector);
        if (activeSelector == null && first != null && first.published()) {
            emit(new DkimSelectorActivated(name.name(), first.selector(), first.keyId(), null, null, null));
        }
    }

    /**
     * Makes the standby selector sign. Only a standby whose key is published, and which DNS still serves
     * now, takes over; the previously active key stays published for {@code hold} (the record's TTL
     * plus the longest delivery delay), so mail it signed still verifies. {@code checkPace} is how
     * often publication is checked: the least a caller waits before it asks again.
     */
    public void rotateDkim(Instant now, Duration hold, DkimDns dns, Duration checkPace) {
        DkimKey active = activeSelector == null ? null : dkimKeys.get(activeSelector);
        DkimKey standby = dkimKeys.values().stream().filter(key -> !key.selector().equals(activeSelector))
                .findFirst().orElse(null);
        if (active == null || standby == null) {
            throw rotationNotReady(standby, name + " has no published DKIM key signing yet", checkPace);
        }
        if (standby.retiring()) {
            Duration wait = Duration.between(now, standby.retiresAt()).plus(checkPace);
            throw rotationNotReady(standby, "The key of selector " + standby.selector() + " of " + name
                    + " was replaced at the last rotation and is still published for mail signed with it; a fresh"
                    + " key takes its place after " + standby.retiresAt(), wait);
        }
        if (!standby.published() || !dns.serves(standby)) {
            throw rotationNotReady(standby, "The key of the standby selector " + standby.selector() + " of " + name
                    + " is not served by every DNS server yet", checkPace);
        }
        emit(new DkimSelectorActivated(name.name(), standby.selector(), standby.keyId(), active.selector(),
                active.keyId(), now.plus(hold)));
    }

    /** Retires each replaced key whose time is up, and generates a fresh key under its selector. */
    public void retireDueDkimKeys(Instant now, DkimKeySource keys) {
        for (DkimKey key : List.copyOf(dkimKeys.values())) {
            if (key.retiring() && !key.retiresAt().isAfter(now)) {
                emit(new DkimKeyRetired(name.name(), key.selector(), key.keyId()));
                generateDkimKey(key.selector(), keys);
            }
        }
    }

    /**
     * When the DKIM lifecycle of the domain next needs a step: now while keys are to be generated,
     * published or activated; the retirement of a replaced key; empty when nothing is pending.
     */
    public Optional<Instant> dkimAttentionAt(Instant now) {
        if (!registered) {
            return Optional.empty();
        }
        boolean stepNow = dkimKeys.isEmpty() || activeSelector == null
                || dkimKeys.values().stream().anyMatch(key -> !key.published());
        if (stepNow) {
            return Optional.of(now);
        }
        return dkimKeys.values().stream().filter(DkimKey::retiring).map(DkimKey::retiresAt).min(Instant::compareTo);
    }

    private void generateDkimKey(String selector, DkimKeySource keys) {
        DkimPublicKey key = keys.newKey(selector);
        emit(new DkimKeyGenerated(name.name(), selector, key.keyId(), key.algorithm().id(), key.publicKey(),
                key.record()));
    }

    private RuleViolation rotationNotReady(DkimKey standby, String message, Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("domain", name.name());
        if (standby != null) {
            details.put("selector", standby.selector());
        }
        details.put("retryAfter", seconds);
        return new RuleViolation("dkim-rotation-not-ready", "DKIM rotation not ready", message, details);
    }

    @Override
    protected void apply(MailboxEvent event) {
        if (event instanceof DomainAdded added) {
            registered = true;
            verificationToken = added.verificationToken();
            verified = verificationToken == null;
            reclaimableAt = null;
        } else if (event instanceof DomainClaimExpired expired) {
            registered = false;
            verified = false;
            verificationToken = null;
            dkimKeys.clear();
            firstSelector = null;
            activeSelector = null;
            reclaimableAt = expired.reclaimableAt();
        } else if (event instanceof DomainVerified) {
            verified = true;
        } else if (event instanceof DkimKeyGenerated generated) {
            dkimKeys.put(generated.selector(), new DkimKey(generated.domain(), generated.selector(), generated.keyId(),
                    DkimAlgorithm.of(generated.algorithm()), generated.publicKey(), generated.record(), false, null));
            if (firstSelector == null) {
                firstSelector = generated.selector();
            }
        } else if (event instanceof DkimKeyPublished published) {
            update(published.selector(), published.keyId(), DkimKey::asPublished);
        } else if (event instanceof DkimSelectorActivated activated) {
            if (activated.previousSelector() != null) {
                Instant retiresAt = activated.previousKeyRetiresAt();
                update(activated.previousSelector(), activated.previousKeyId(), key -> key.retiringAt(retiresAt));
            }
            activeSelector = activated.selector();
        } else if (event instanceof DkimKeyRetired retired) {
            dkimKeys.computeIfPresent(retired.selector(), (selector, key) -> key.keyId().equals(retired.keyId())
                    ? null : key);
        } else {
            throw new IllegalArgumentException("A mail domain does not handle " + event.type());
        }
    }

    private void update(String selector, UUID keyId, java.util.function.UnaryOperator<DkimKey> change) {
        dkimKeys.computeIfPresent(selector, (s, key) -> key.keyId().equals(keyId) ? change.apply(key) : key);
    }

    public DomainName name() {
        return name;
    }

    public boolean registered() {
        return registered;
    }

    /** Proven to belong to its owner (or registered when no proof was asked). */
    public boolean verified() {
        return verified;
    }

    /** The token the proof record carries; null for a domain that needs none. */
    public String verificationToken() {
        return verificationToken;
    }

    /** The tenant the domain belongs to; null before it is registered; after an expiry, the former claimant. */
    public String owner() {
        return owner;
    }

    /** The current key of each selector, in the order they were first generated. */
    public List<DkimKey> dkimKeys() {
        return List.copyOf(dkimKeys.values());
    }

    /** The selector whose key signs, if one does. */
    public Optional<String> activeDkimSelector() {
        return Optional.ofNullable(activeSelector);
    }
}
