package dev.mailops.mailbox.command;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.mailops.mailbox.address.AddressClaim;
import dev.mailops.mailbox.address.AddressRegistry;
import dev.mailops.mailbox.catalog.Catalog;
import dev.mailops.mailbox.credentials.Credentials;
import dev.mailops.mailbox.credentials.DkimPrivateKeys;
import dev.mailops.mailbox.credentials.PasswordHasher;
import dev.mailops.mailbox.credentials.PasswordPolicy;
import dev.mailops.mailbox.domain.DomainName;
import dev.mailops.mailbox.domain.EmailAddress;
import dev.mailops.mailbox.domain.EventSourced;
import dev.mailops.mailbox.domain.FieldViolations;
import dev.mailops.mailbox.domain.InvalidFields;
import dev.mailops.mailbox.domain.InvalidValue;
import dev.mailops.mailbox.domain.MailDomain;
import dev.mailops.mailbox.domain.Mailbox;
import dev.mailops.mailbox.domain.NewMailbox;
import dev.mailops.mailbox.domain.NotFound;
import dev.mailops.mailbox.domain.OwnDomains;
import dev.mailops.mailbox.domain.RuleViolation;
import dev.mailops.mailbox.domain.TenantAccount;
import dev.mailops.mailbox.domain.event.AddressReleased;
import dev.mailops.mailbox.domain.event.DkimKeyRetired;
import dev.mailops.mailbox.domain.event.MailboxEvent;
import dev.mailops.mailbox.ownership.DomainClaims;
import dev.mailops.mailbox.ownership.DomainVerificationSettings;
import dev.mailops.mailbox.ownership.ResolverOwnershipCheck;
import dev.mailops.mailbox.query.MailboxQueries;
import dev.mailops.mailbox.query.Projector;
import dev.mailops.mailbox.store.EventMetadata;
import dev.mailops.mailbox.store.EventStore;
import dev.mailops.mailbox.store.StoredEvent;
import dev.mailops.mailbox.store.StreamConflictException;
import dev.mailops.mailbox.store.StreamId;
import dev.mailops.mailbox.users.KnownUsers;

/**
 * Handles the commands: loads the aggregate, lets it decide, and appends its events with their
 * outbox rows, read-model changes and address claims in one transaction. The rules are the
 * aggregates' and value objects'; nothing is written when one fails. Password hashing happens
 * before the transaction starts; the hash goes to {@link Credentials} in the transaction of its event.
 */
@ApplicationScoped
public class MailboxCommands {

    private static final int MAX_ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EventStore eventStore;
    @Inject
    Projector projector;
    @Inject
    AddressRegistry addresses;
    @Inject
    MailboxQueries queries;
    @Inject
    Catalog catalog;
    @Inject
    PasswordHasher passwordHasher;
    @Inject
    Credentials credentials;
    @Inject
    DkimPrivateKeys privateKeys;
    @Inject
    DomainClaims claims;
    @Inject
    DomainVerificationSettings verification;
    @Inject
    ResolverOwnershipCheck ownershipDns;
    @Inject
    KnownUsers knownUsers;
    @Inject
    MeterRegistry meters;
    @Inject
    Clock clock;

    @ConfigProperty(name = "mailbox.address-quarantine", defaultValue = "PT48H")
    Duration quarantine;

    /**
     * Registers the domain for the tenant, pending until proven (or verified at once when the policy asks
     * for no proof); false when the tenant had registered it already. A reserved name, a provider's name
     * and a parent or child of another tenant's domain are refused.
     */
    public boolean registerDomain(String domainName, EventMetadata metadata) {
        FieldViolations violations = new FieldViolations();
        DomainName name = violations.check("domain", () -> DomainName.of(domainName));
        violations.throwIfAny();
        return execute("RegisterDomain", () -> {
            MailDomain domain = loadDomain(name);
            domain.register(metadata.tenantId(), verification.policy(), MailboxCommands::newVerificationToken, now());
            if (!domain.pendingEvents().isEmpty()) {
                claims.checkClaimable(name);
                claims.checkNotNested(name, metadata.tenantId());
            }
            save(StreamId.mailDomain(name.name()), domain, metadata, now());
            return !domain.pendingEvents().isEmpty();
        });
    }

    /**
     * Looks for the proof of the tenant's pending domain now: DomainVerified when the resolvers find it,
     * else the refusal that names the record to create. A verified domain stays as it is.
     */
    public void verifyDomain(String domainName, EventMetadata metadata) {
        DomainName name = DomainName.of(domainName);
        execute("VerifyDomain", () -> {
            MailDomain domain = loadDomain(name);
            if (!domain.registered() || !metadata.tenantId().equals(domain.owner())) {
                throw new NotFound("No domain " + domainName);
            }
            domain.verify(ownershipDns);
            save(StreamId.mailDomain(name.name()), domain, metadata, now());
            return null;
        });
    }

    /**
     * Looks for the proof of up to {@code limit} pending domains whose check is due, each in its own
     * transaction; returns how many were verified. A domain still without proof is looked at again
     * after a while that grows with its age (a quarter of it, between the check interval and the
     * longest one), so long-pending domains cost few queries. Safe on several instances at once.
     */
    public int verifyDueDomains(int limit) {
        Instant now = now();
        int verified = 0;
        for (String domainName : QuarkusTransaction.requiringNew().call(() -> queries.verificationsDue(now, limit))) {
            try {
                verified += execute("VerifyDomain", () -> {
                    if (!queries.lockIfVerificationDue(domainName, now)) {
                        return 0;
                    }
                    MailDomain domain = loadDomain(DomainName.of(domainName));
                    try {
                        domain.verify(ownershipDns);
                    } catch (RuleViolation notYet) {
                        Duration age = Duration.between(queries.domain(domainName).orElseThrow().addedAt, now);
                        Duration wait = age.dividedBy(4);
                        wait = wait.compareTo(verification.checkInterval()) < 0 ? verification.checkInterval()
                                : wait.compareTo(verification.maxCheckInterval()) > 0 ? verification.maxCheckInterval() : wait;
                        queries.scheduleVerification(domainName, now.plus(wait));
                        return 0;
                    }
                    save(StreamId.mailDomain(domainName), domain, new EventMetadata(domain.owner(),
                            "system:domain-verification", UUID.randomUUID().toString()), now);
                    return domain.pendingEvents().isEmpty() ? 0 : 1;
                });
            } catch (RuleViolation concurrent) {
                // A tenant's own check verified it at the same moment; nothing is left to do.
            }
        }
        return verified;
    }

    /**
     * Ends up to {@code limit} pending claims whose lifetime has passed, each in its own transaction;
     * returns how many expired. Everything the tenant prepared under the name ends with the claim:
     * its mailboxes and the aliases there (their addresses free at once, see
     * {@link Mailbox#deleteWithExpiredDomain}), its DKIM keys (their sealed private keys tombstoned),
     * and the name's place in the cross-tenant index, so the real owner can claim and prove it. Safe on
     * several instances at once: each domain's row is locked with SKIP LOCKED.
     */
    public int expireStaleClaims(int limit) {
        Instant now = now();
        Instant claimedBy = now.minus(verification.claimLifetime());
        int expired = 0;
        for (String domainName : QuarkusTransaction.requiringNew().call(() -> queries.claimsMadeBy(claimedBy, limit))) {
            expired += execute("ExpireDomainClaim", () -> queries.lockIfClaimMadeBy(domainName, claimedBy)
                    .map(claim -> expireClaim(DomainName.of(domainName), claim.addedAt, now))
                    .orElse(0));
        }
        return expired;
    }

    private int expireClaim(DomainName name, Instant claimedAt, Instant now) {
        queries.lockDkimAgenda(name.name());
        MailDomain domain = loadDomain(name);
        domain.expireClaim(claimedAt, verification.claimLifetime(), now);
        if (domain.pendingEvents().isEmpty()) {
            return 0;
        }
        String tenantId = domain.owner();
        EventMetadata metadata = new EventMetadata(tenantId, "system:domain-claim-expiry", UUID.randomUUID().toString());
        for (UUID mailboxId : queries.mailboxIdsAt(tenantId, name.name())) {
            Mailbox mailbox = loadMailbox(mailboxId, tenantId);
            mailbox.deleteWithExpiredDomain(now);
            saveReleasing(mailboxId, mailbox, metadata, now);
            credentials.remove(mailboxId, tenantId, now, metadata.traceParent());
        }
        for (UUID mailboxId : queries.mailboxIdsWithAliasesAt(tenantId, name.name())) {
            Mailbox mailbox = loadMailbox(mailboxId, tenantId);
            mailbox.removeAliasesAt(name, now);
            saveReleasing(mailboxId, mailbox, metadata, now);
        }
        // The domain's own events last: consumers see the mailboxes go before the domain they are at.
        save(StreamId.mailDomain(name.name()), domain, metadata, now);
        for (MailboxEvent event : domain.pendingEvents()) {
            if (event instanceof DkimKeyRetired retired) {
                privateKeys.retire(retired.keyId(), tenantId, now, metadata.traceParent());
            }
        }
        return 1;
    }

    /** Saves the mailbox's events and frees, in the registry, every address they released. */
    private void saveReleasing(UUID mailboxId, Mailbox mailbox, EventMetadata metadata, Instant now) {
        save(StreamId.mailbox(mailboxId), mailbox, metadata, now);
        mailbox.pendingEvents().stream().filter(AddressReleased.class::isInstance).map(AddressReleased.class::cast)
                .forEach(released -> addresses.lock(released.address()).ifPresent(addresses::remove));
    }

    /** The domain's stream; its owner is the tenant of the latest event (a name may change hands after an expiry). */
    private MailDomain loadDomain(DomainName name) {
        List<StoredEvent> history = eventStore.history(StreamId.mailDomain(name.name()));
        return MailDomain.fromHistory(name, history.isEmpty() ? null : history.get(history.size() - 1).tenantId,
                history.stream().map(eventStore::toEvent).toList());
    }

    /** 192 random bits, URL-safe: unguessable, so a record made for one claim proves no other. */
    private static String newVerificationToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public UUID createMailbox(CreateMailbox command, EventMetadata metadata) {
        FieldViolations violations = new FieldViolations();
        NewMailbox fields = NewMailbox.check(new NewMailbox.Form(command.localPart(), command.domain(),
                command.firstName(), command.lastName(), command.systemUserId(), command.forwardTo(),
                command.keepCopy()), ownDomains(metadata.tenantId()), knownUsers.ofTenant(metadata.tenantId()),
                violations);
        PasswordPolicy.check(violations, command.password(), command.passwordConfirmation(), command.localPart());
        checkRate(violations, command.rate());
        violations.throwIfAny();
        String passwordHash = passwordHasher.hash(command.password());
        UUID mailboxId = UUID.randomUUID();
        return execute("CreateMailbox", () -> {
            Instant now = now();
            claim(fields.address().toString(), metadata, mailboxId, AddressClaim.Kind.MAILBOX, now);
            save(StreamId.mailbox(mailboxId), Mailbox.create(mailboxId, fields, command.rate()), metadata, now);
            credentials.set(mailboxId, metadata.tenantId(), fields.address().toString(), passwordHash, now,
                    metadata.traceParent());
            return mailboxId;
        });
    }

    /** Sets a new password under the policy of creation; the old one stops working with the commit. */
    public void changePassword(UUID mailboxId, ChangePassword command, EventMetadata metadata) {
        String localPart = queries.mailbox(metadata.tenantId(), mailboxId)
                .orElseThrow(() -> new NotFound("No mailbox " + mailboxId)).localPart;
        FieldViolations violations = new FieldViolations();
        PasswordPolicy.check(violations, command.password(), command.passwordConfirmation(), localPart);
        violations.throwIfAny();
        String passwordHash = passwordHasher.hash(command.password());
        execute("ChangePassword", () -> {
            Instant now = now();
            Mailbox mailbox = loadMailbox(mailboxId, metadata.tenantId());
            mailbox.changePassword();
            save(StreamId.mailbox(mailboxId), mailbox, metadata, now);
            credentials.set(mailboxId, metadata.tenantId(), mailbox.address(), passwordHash, now,
                    metadata.traceParent());
            return null;
        });
    }

    /** Moves the mailbox to another rate of the catalog; returns false when it had that rate already. */
    public boolean changeRate(UUID mailboxId, ChangeRate command, EventMetadata metadata) {
        FieldViolations violations = new FieldViolations();
        checkRate(violations, command.rate());
        violations.throwIfAny();
        return execute("ChangeRate", () -> {
            Mailbox mailbox = loadMailbox(mailboxId, metadata.tenantId());
            mailbox.changeRate(command.rate(), aliasLimit(command.rate()));
            save(StreamId.mailbox(mailboxId), mailbox, metadata, now());
            return !mailbox.pendingEvents().isEmpty();
        });
    }

    public void addAlias(UUID mailboxId, AddAlias command, EventMetadata metadata) {
        FieldViolations violations = new FieldViolations();
        EmailAddress alias = ownDomains(metadata.tenantId()).address(violations, "localPart", command.localPart(),
                "domain", command.domain());
        violations.throwIfAny();
        execute("AddAlias", () -> {
            Instant now = now();
            requireMailbox(mailboxId, metadata.tenantId());
            // Claim first: releasing a due address may append to this very mailbox's stream.
            claim(alias.toString(), metadata, mailboxId, AddressClaim.Kind.ALIAS, now);
            Mailbox mailbox = loadMailbox(mailboxId, metadata.tenantId());
            mailbox.addAlias(alias, aliasLimit(mailbox.rate()));
            save(StreamId.mailbox(mailboxId), mailbox, metadata, now);
            return null;
        });
    }

    public void removeAlias(UUID mailboxId, String aliasAddress, EventMetadata metadata) {
        EmailAddress alias;
        try {
            alias = EmailAddress.parse(aliasAddress);
        } catch (InvalidValue e) {
            throw new NotFound(aliasAddress + " is not an alias of mailbox " + mailboxId);
        }
        execute("RemoveAlias", () -> {
            Instant now = now();
            Instant blockedUntil = now.plus(quarantine);
            Mailbox mailbox = loadMailbox(mailboxId, metadata.tenantId());
            mailbox.removeAlias(alias, blockedUntil);
            addresses.block(List.of(alias.toString()), blockedUntil);
            save(StreamId.mailbox(mailboxId), mailbox, metadata, now);
            return null;
        });
    }

    public void deleteMailbox(UUID mailboxId, EventMetadata metadata) {
        execute("DeleteMailbox", () -> {
            Instant now = now();
            Instant blockedUntil = now.plus(quarantine);
            Mailbox mailbox = loadMailbox(mailboxId, metadata.tenantId());
            List<String> mailboxAddresses = new ArrayList<>(mailbox.aliases());
            mailboxAddresses.add(mailbox.address());
            mailbox.delete(blockedUntil);
            addresses.block(mailboxAddresses, blockedUntil);
            save(StreamId.mailbox(mailboxId), mailbox, metadata, now);
            credentials.remove(mailboxId, metadata.tenantId(), now, metadata.traceParent());
            return null;
        });
    }

    /** Books a basic fee plan for the tenant; returns false when it was booked already. */
    public boolean changeBasicFee(ChangeBasicFee command, EventMetadata metadata) {
        String plan = command.plan();
        if (plan == null || plan.isBlank()) {
            throw InvalidFields.of("plan", "must not be blank");
        }
        if (catalog.basicFee(plan).isEmpty()) {
            throw InvalidFields.of("plan", "unknown basic fee plan '" + plan + "'; choose one of "
                    + catalog.basicFees().stream().map(Catalog.BasicFeePlan::id).toList());
        }
        return execute("ChangeBasicFee", () -> {
            StreamId stream = StreamId.tenant(metadata.tenantId());
            var latest = eventStore.last(stream, metadata.tenantId());
            TenantAccount account = TenantAccount.fromLatest(catalog.defaultBasicFee().id(),
                    latest.map(eventStore::toEvent), latest.map(row -> row.streamVersion).orElse(0));
            account.changeBasicFee(plan);
            save(stream, account, metadata, now());
            return !account.pendingEvents().isEmpty();
        });
    }

    /**
     * Ends the quarantine of up to {@code limit} addresses whose time is up, each in its own
     * transaction; returns how many this call released. Safe to run on several instances at once.
     */
    public int releaseDueAddresses(int limit) {
        Instant now = now();
        int released = 0;
        for (String address : addresses.due(now, limit)) {
            released += execute("ReleaseAddress", () -> addresses.lockIfDue(address, now)
                    .map(claim -> {
                        release(claim, now, UUID.randomUUID().toString());
                        return 1;
                    })
                    .orElse(0));
        }
        return released;
    }

    private void claim(String address, EventMetadata metadata, UUID mailboxId, AddressClaim.Kind kind, Instant now) {
        var existing = addresses.lock(address);
        if (existing.isPresent()) {
            AddressClaim claim = existing.get();
            if (!claim.blocked()) {
                throw AddressRegistry.taken(address);
            }
            if (claim.blockedUntil.isAfter(now)) {
                throw AddressRegistry.blocked(address, claim.blockedUntil);
            }
            // Due but not yet released by the scheduler: release it now, in this transaction.
            release(claim, now, metadata.correlationId());
        }
        addresses.claim(address, metadata.tenantId(), mailboxId, kind);
    }

    private void release(AddressClaim claim, Instant now, String correlationId) {
        Mailbox mailbox = loadMailbox(claim.mailboxId, claim.tenantId);
        mailbox.releaseAddress(claim.address);
        save(StreamId.mailbox(claim.mailboxId), mailbox,
                new EventMetadata(claim.tenantId, "system:address-release", correlationId), now);
        addresses.remove(claim);
    }

    private OwnDomains ownDomains(String tenantId) {
        return domain -> queries.domain(domain.name()).filter(found -> found.tenantId.equals(tenantId)).isPresent();
    }

    private void checkRate(FieldViolations violations, String rate) {
        if (rate == null || rate.isBlank()) {
            violations.add("rate", "must not be blank");
        } else if (catalog.rate(rate).isEmpty()) {
            violations.add("rate", "unknown rate '" + rate + "'; choose one of "
                    + catalog.rates().stream().map(Catalog.Rate::id).toList());
        }
    }

    /** Fails as not found unless the tenant has a live mailbox of that id. */
    private void requireMailbox(UUID mailboxId, String tenantId) {
        if (queries.mailbox(tenantId, mailboxId).isEmpty()) {
            throw new NotFound("No mailbox " + mailboxId);
        }
    }

    /** A rate no longer offered keeps the limit it was sold with as long as the catalog lists it as retired. */
    private int aliasLimit(String rate) {
        return catalog.rate(rate).map(Catalog.Rate::aliasLimit)
                .orElseThrow(() -> new RuleViolation("rate-unavailable", "Rate no longer available",
                        "The mailbox's rate " + rate + " is no longer in the catalog; change the mailbox's rate first"));
    }

    private Mailbox loadMailbox(UUID mailboxId, String tenantId) {
        return eventStore.load(StreamId.mailbox(mailboxId), tenantId)
                .map(stream -> Mailbox.fromHistory(stream.events()))
                .orElseThrow(() -> new NotFound("No mailbox " + mailboxId));
    }

    private void save(StreamId stream, EventSourced aggregate, EventMetadata metadata, Instant now) {
        var events = aggregate.pendingEvents();
        if (events.isEmpty()) {
            return;
        }
        eventStore.append(stream, aggregate.loadedVersion(), events, metadata, now);
        projector.project(metadata.tenantId(), events, aggregate.loadedVersion() + 1, now);
    }

    /** Runs the command in its own transaction, again when another command moved the same stream first. */
    private <T> T execute(String commandType, Supplier<T> command) {
        String outcome = "rejected";
        try {
            for (int attempt = 1;; attempt++) {
                try {
                    T result = QuarkusTransaction.requiringNew().call(command::get);
                    outcome = "accepted";
                    return result;
                } catch (StreamConflictException e) {
                    if (attempt == MAX_ATTEMPTS) {
                        throw new RuleViolation("concurrent-modification", "Concurrent modification",
                                "The resource was changed by another request at the same time; try again");
                    }
                }
            }
        } finally {
            meters.counter("mailbox.commands", "type", commandType, "outcome", outcome).increment();
        }
    }

    /** The time of the command, to the microsecond PostgreSQL keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
