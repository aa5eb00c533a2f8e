package dev.mailops.mailbox.command;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

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
import dev.mailops.mailbox.credentials.DovecotHashes;
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
import dev.mailops.mailbox.query.DkimQueries;
import dev.mailops.mailbox.query.MailboxQueries;
import dev.mailops.mailbox.query.MailboxView;
import dev.mailops.mailbox.query.Projector;
import dev.mailops.mailbox.store.EventMetadata;
import dev.mailops.mailbox.store.EventStore;
import dev.mailops.mailbox.store.StoredEvent;
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
    DkimQueries dkimQueries;
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
            queries.lockDomain(name.name());
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
            queries.lockDomain(name.name());
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
        dkimQueries.lock(name.name());
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

    /**
     * Checks one mailbox of a migration import by the rules of the API, writing nothing: its fields as
     * "Create mailbox" checks them, its aliases as "Add alias" does (at the tenant's domains, within the
     * rate's alias limit, as a new {@link Mailbox} decides), its password by the policy or its hash by its
     * scheme's form ({@link DovecotHashes}), and whether its address and aliases are free now (taken, or in
     * their 48-hour quarantine). Returns the id of the tenant's mailbox at the address when it exists with
     * exactly these fields (its password is left as it is), empty when the import would create it; throws
     * {@link InvalidFields} naming every field that breaks a rule.
     */
    public Optional<UUID> checkImport(ImportMailbox command, String tenantId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            FieldViolations violations = new FieldViolations();
            OwnDomains own = ownDomains(tenantId);
            NewMailbox fields = NewMailbox.check(importForm(command), own, knownUsers.ofTenant(tenantId), violations);
            checkRate(violations, command.rate());
            List<EmailAddress> aliases = importAliases(command.aliases(), own, violations);
            Optional<MailboxView> existing = fields == null ? Optional.empty()
                    : queries.mailboxAt(tenantId, fields.address().toString());
            if (existing.isPresent()) {
                if (violations.list().isEmpty() && sameFields(existing.get(), fields, command.rate(), aliases)) {
                    return Optional.of(existing.get().mailboxId);
                }
                violations.add("localPart", fields.address() + " is already one of your mailboxes, with other fields;"
                        + " an import does not change existing mailboxes");
                violations.throwIfAny();
            }
            checkImportSecret(command, violations);
            Instant now = now();
            if (fields != null) {
                addressAvailable(violations, "localPart", fields.address().toString(), now);
            }
            for (int i = 0; i < aliases.size(); i++) {
                if (aliases.get(i) != null) {
                    addressAvailable(violations, "aliases[" + i + "]", aliases.get(i).toString(), now);
                }
            }
            if (fields != null && catalog.rate(command.rate()).isPresent()) {
                Mailbox mailbox = Mailbox.create(UUID.randomUUID(), fields, command.rate());
                for (int i = 0; i < aliases.size(); i++) {
                    try {
                        if (aliases.get(i) != null) {
                            mailbox.addAlias(aliases.get(i), aliasLimit(command.rate()));
                        }
                    } catch (RuleViolation broken) {
                        violations.add("aliases[" + i + "]", broken.getMessage());
                    }
                }
            }
            violations.throwIfAny();
            return Optional.<UUID>empty();
        });
    }

    /**
     * Imports one mailbox through the rules of {@link #checkImport}: creates it with its aliases and its
     * credential in one transaction (events as the API's "Create mailbox" and "Add alias" append them), or
     * leaves it as it is when it exists with these fields. {@code inTransaction} runs in that same transaction
     * with the outcome, so whoever records it records it exactly when the mailbox was written.
     */
    public ImportOutcome importMailbox(ImportMailbox command, EventMetadata metadata, Consumer<ImportOutcome> inTransaction) {
        Optional<UUID> unchanged = checkImport(command, metadata.tenantId());
        if (unchanged.isPresent()) {
            ImportOutcome outcome = new ImportOutcome(ImportOutcome.Kind.UNCHANGED, unchanged.get());
            return execute("ImportMailbox", () -> {
                inTransaction.accept(outcome);
                return outcome;
            });
        }
        OwnDomains own = ownDomains(metadata.tenantId());
        NewMailbox fields = NewMailbox.of(importForm(command), own, knownUsers.ofTenant(metadata.tenantId()));
        List<EmailAddress> aliases = importAliases(command.aliases(), own, new FieldViolations());
        String passwordHash = command.passwordHash() != null ? command.passwordHash()
                : passwordHasher.hash(command.password());
        UUID mailboxId = UUID.randomUUID();
        return execute("ImportMailbox", () -> {
            Instant now = now();
            claim(fields.address().toString(), metadata, mailboxId, AddressClaim.Kind.MAILBOX, now);
            for (EmailAddress alias : aliases) {
                claim(alias.toString(), metadata, mailboxId, AddressClaim.Kind.ALIAS, now);
            }
            Mailbox mailbox = Mailbox.create(mailboxId, fields, command.rate());
            int aliasLimit = aliasLimit(command.rate());
            for (EmailAddress alias : aliases) {
                mailbox.addAlias(alias, aliasLimit);
            }
            save(StreamId.mailbox(mailboxId), mailbox, metadata, now);
            credentials.set(mailboxId, metadata.tenantId(), fields.address().toString(), passwordHash, now,
                    metadata.traceParent());
            ImportOutcome outcome = new ImportOutcome(ImportOutcome.Kind.CREATED, mailboxId);
            inTransaction.accept(outcome);
            return outcome;
        });
    }

    private static NewMailbox.Form importForm(ImportMailbox command) {
        return new NewMailbox.Form(command.localPart(), command.domain(), command.firstName(), command.lastName(),
                command.systemUserId(), command.forwardTo(), command.keepCopy());
    }

    /** Each alias as a hosted address at one of the tenant's domains (null where it is not), none twice. */
    private static List<EmailAddress> importAliases(List<String> entered, OwnDomains own, FieldViolations violations) {
        List<EmailAddress> aliases = new ArrayList<>();
        var seen = new HashSet<EmailAddress>();
        for (int i = 0; i < entered.size(); i++) {
            String field = "aliases[" + i + "]";
            String value = entered.get(i) == null ? "" : entered.get(i).strip();
            int at = value.lastIndexOf('@');
            EmailAddress alias = null;
            if (at <= 0 || at == value.length() - 1) {
                violations.add(field, "is not an address of the form local-part@domain");
            } else {
                alias = own.address(violations, field, value.substring(0, at), field, value.substring(at + 1));
                if (alias != null && !seen.add(alias)) {
                    violations.add(field, alias + " is listed twice");
                    alias = null;
                }
            }
            aliases.add(alias);
        }
        return aliases;
    }

    /** A new mailbox needs exactly one of a password (under the policy) and a hash Dovecot verifies. */
    private static void checkImportSecret(ImportMailbox command, FieldViolations violations) {
        boolean password = command.password() != null && !command.password().isEmpty();
        boolean hash = command.passwordHash() != null && !command.passwordHash().isEmpty();
        if (password && hash) {
            violations.add("passwordHash", "give either a password or a passwordHash, not both");
        } else if (password) {
            PasswordPolicy.check(violations, command.password(), command.password(), command.localPart());
        } else if (hash) {
            violations.check("passwordHash", () -> DovecotHashes.check(command.passwordHash()));
        } else {
            violations.add("password", "a new mailbox needs a password or a passwordHash");
        }
    }

    private void addressAvailable(FieldViolations violations, String field, String address, Instant now) {
        AddressRegistry.Status status = addresses.status(address, now);
        if ("TAKEN".equals(status.status())) {
            violations.add(field, address + " is already in use");
        } else if ("BLOCKED".equals(status.status())) {
            violations.add(field, address + " was deleted recently and can be used again from " + status.blockedUntil());
        }
    }

    private static boolean sameFields(MailboxView existing, NewMailbox fields, String rate, List<EmailAddress> aliases) {
        return existing.firstName.equals(fields.firstName().value()) && existing.lastName.equals(fields.lastName().value())
                && existing.systemUserId.equals(fields.systemUserId().value()) && existing.rate.equals(rate)
                && existing.forwardTo.equals(fields.forwarding().targets())
                && existing.keepCopy == fields.forwarding().keepCopy()
                && existing.aliases.stream().map(alias -> alias.address).collect(Collectors.toSet())
                        .equals(aliases.stream().map(EmailAddress::toString).collect(Collectors.toSet()));
    }

    /** Sets a new password under the policy of creation; the old one stops working with the commit. */
    public void changePassword(UUID mailboxId, ChangePassword command, EventMetadata metadata) {
        String localPart = queries.localPart(metadata.tenantId(), mailboxId)
                .orElseThrow(() -> new NotFound("No mailbox " + mailboxId));
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
        if (!queries.hasMailbox(tenantId, mailboxId)) {
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

    /**
     * Runs the command in its own transaction, again when another command moved the same stream first
     * (or PostgreSQL chose it as the one to roll back between two that waited for each other).
     */
    private <T> T execute(String commandType, Supplier<T> command) {
        String outcome = "rejected";
        try {
            T result = LostRaces.retried(() -> QuarkusTransaction.requiringNew().call(command::get),
                    "The resource was changed by another request at the same time; try again");
            outcome = "accepted";
            return result;
        } finally {
            meters.counter("mailbox.commands", "type", commandType, "outcome", outcome).increment();
        }
    }

    /** The time of the command, to the microsecond PostgreSQL keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
