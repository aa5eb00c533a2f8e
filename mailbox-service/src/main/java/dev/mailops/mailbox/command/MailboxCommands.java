package dev.mailops.mailbox.command;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.mailops.kit.errors.ConflictException;
import dev.mailops.kit.errors.FieldErrors;
import dev.mailops.kit.errors.InvalidValueException;
import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.mailbox.address.AddressClaim;
import dev.mailops.mailbox.address.AddressRegistry;
import dev.mailops.mailbox.catalog.Catalog;
import dev.mailops.mailbox.credentials.MailboxCredential;
import dev.mailops.mailbox.credentials.PasswordHasher;
import dev.mailops.mailbox.credentials.PasswordPolicy;
import dev.mailops.mailbox.domain.DomainName;
import dev.mailops.mailbox.domain.EmailAddress;
import dev.mailops.mailbox.domain.EventSourced;
import dev.mailops.mailbox.domain.Mailbox;
import dev.mailops.mailbox.domain.TenantAccount;
import dev.mailops.mailbox.domain.event.DomainAdded;
import dev.mailops.mailbox.domain.event.MailboxCreated;
import dev.mailops.mailbox.query.MailboxQueries;
import dev.mailops.mailbox.store.EventMetadata;
import dev.mailops.mailbox.store.EventStore;
import dev.mailops.mailbox.store.StreamConflictException;
import dev.mailops.mailbox.store.StreamId;

/**
 * Handles the commands: validates them, loads the aggregate, lets it decide, and appends its events
 * with their outbox rows, read-model changes and address claims in one transaction. Nothing is
 * written when a rule fails. Password hashing happens before the transaction starts.
 */
@ApplicationScoped
public class MailboxCommands {

    static final int MAX_FORWARD_ADDRESSES = 20;
    private static final int MAX_ATTEMPTS = 3;
    private static final Pattern SYSTEM_USER_ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    @Inject
    EventStore eventStore;
    @Inject
    dev.mailops.mailbox.query.Projector projector;
    @Inject
    AddressRegistry addresses;
    @Inject
    MailboxQueries queries;
    @Inject
    Catalog catalog;
    @Inject
    PasswordHasher passwordHasher;
    @Inject
    EntityManager entityManager;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "mailbox.address-quarantine", defaultValue = "PT48H")
    Duration quarantine;

    /** Registers the domain for the tenant; false when the tenant had registered it already. */
    public boolean registerDomain(String domainName, EventMetadata metadata) {
        DomainName domain = parse("domain", () -> DomainName.of(domainName));
        return execute("RegisterDomain", () -> {
            var existing = queries.domain(domain.name());
            if (existing.isPresent()) {
                if (existing.get().tenantId.equals(metadata.tenantId())) {
                    return false;
                }
                throw new ConflictException("domain-taken", "Domain belongs to another customer",
                        domain + " is registered by another customer",
                        java.util.Map.of("domain", domain.name()));
            }
            Instant now = now();
            var events = List.<dev.mailops.mailbox.domain.event.MailboxEvent>of(new DomainAdded(domain.name()));
            eventStore.append(StreamId.mailDomain(domain.name()), 0, events, metadata, now);
            projector.project(metadata.tenantId(), events, 1, now);
            return true;
        });
    }

    public UUID createMailbox(CreateMailbox command, EventMetadata metadata) {
        MailboxCreated created = validate(command, metadata.tenantId());
        String passwordHash = passwordHasher.hash(command.password());
        return execute("CreateMailbox", () -> {
            Instant now = now();
            claim(created.address(), metadata, created.mailboxId(), AddressClaim.Kind.MAILBOX, now);
            save(StreamId.mailbox(created.mailboxId()), Mailbox.create(created), metadata, now);
            MailboxCredential credential = new MailboxCredential();
            credential.mailboxId = created.mailboxId();
            credential.passwordHash = passwordHash;
            credential.updatedAt = now;
            entityManager.persist(credential);
            return created.mailboxId();
        });
    }

    public void addAlias(UUID mailboxId, AddAlias command, EventMetadata metadata) {
        FieldErrors errors = new FieldErrors();
        EmailAddress alias = ownAddress(errors, "localPart", command.localPart(), "domain", command.domain(),
                metadata.tenantId());
        errors.throwIfAny();
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
        } catch (InvalidValueException e) {
            throw new NotFoundException(aliasAddress + " is not an alias of mailbox " + mailboxId);
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
            MailboxCredential credential = entityManager.find(MailboxCredential.class, mailboxId);
            if (credential != null) {
                entityManager.remove(credential);
            }
            return null;
        });
    }

    /** Books a basic fee plan for the tenant; returns false when it was booked already. */
    public boolean changeBasicFee(ChangeBasicFee command, EventMetadata metadata) {
        String plan = command.plan();
        if (plan == null || plan.isBlank()) {
            throw dev.mailops.kit.errors.ValidationException.of("plan", "must not be blank");
        }
        if (catalog.basicFee(plan).isEmpty()) {
            throw dev.mailops.kit.errors.ValidationException.of("plan", "unknown basic fee plan '" + plan
                    + "'; choose one of " + catalog.basicFees().stream().map(Catalog.BasicFeePlan::id).toList());
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

    /** Fails with 404 unless the tenant has a live mailbox of that id. */
    private void requireMailbox(UUID mailboxId, String tenantId) {
        if (queries.mailbox(tenantId, mailboxId).isEmpty()) {
            throw new NotFoundException("No mailbox " + mailboxId);
        }
    }

    /** A rate no longer offered keeps the limit it was sold with as long as the catalog lists it as retired. */
    private int aliasLimit(String rate) {
        return catalog.rate(rate).map(Catalog.Rate::aliasLimit)
                .orElseThrow(() -> new ConflictException("rate-unavailable", "Rate no longer available",
                        "The mailbox's rate " + rate + " is no longer in the catalog; change the mailbox's rate first"));
    }

    private Mailbox loadMailbox(UUID mailboxId, String tenantId) {
        return eventStore.load(StreamId.mailbox(mailboxId), tenantId)
                .map(stream -> Mailbox.fromHistory(stream.events()))
                .orElseThrow(() -> new NotFoundException("No mailbox " + mailboxId));
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
                        throw new ConflictException("concurrent-modification", "Concurrent modification",
                                "The resource was changed by another request at the same time; try again");
                    }
                }
            }
        } finally {
            meters.counter("mailbox.commands", "type", commandType, "outcome", outcome).increment();
        }
    }

    private MailboxCreated validate(CreateMailbox command, String tenantId) {
        FieldErrors errors = new FieldErrors();
        EmailAddress address = ownAddress(errors, "localPart", command.localPart(), "domain", command.domain(), tenantId);
        String firstName = errors.check("firstName", () -> personName(command.firstName()));
        String lastName = errors.check("lastName", () -> personName(command.lastName()));
        String systemUserId = errors.check("systemUserId", () -> systemUserId(command.systemUserId()));
        List<String> forwardTo = forwardAddresses(errors, command.forwardTo(), address);
        boolean keepCopy = Boolean.TRUE.equals(command.keepCopy());
        if (keepCopy && forwardTo.isEmpty()) {
            errors.add("keepCopy", "can only be enabled once at least one forwarding address is entered");
        }
        errors.check("password", () -> {
            PasswordPolicy.check(command.password(), command.localPart());
            return null;
        });
        if (command.passwordConfirmation() == null || command.passwordConfirmation().isEmpty()) {
            errors.add("passwordConfirmation", "must not be blank: re-enter the password");
        } else if (!command.passwordConfirmation().equals(command.password())) {
            errors.add("passwordConfirmation", "does not match the password");
        }
        if (command.rate() == null || command.rate().isBlank()) {
            errors.add("rate", "must not be blank");
        } else if (catalog.rate(command.rate()).isEmpty()) {
            errors.add("rate", "unknown rate '" + command.rate() + "'; choose one of "
                    + catalog.rates().stream().map(Catalog.Rate::id).toList());
        }
        errors.throwIfAny();
        return new MailboxCreated(UUID.randomUUID(), address.toString(), address.localPart(), address.domain().name(),
                firstName, lastName, systemUserId, forwardTo, keepCopy, command.rate());
    }

    /** An address at one of the tenant's own domains, or null after recording what is wrong. */
    private EmailAddress ownAddress(FieldErrors errors, String localPartField, String localPart, String domainField,
            String domainName, String tenantId) {
        String validLocalPart = errors.check(localPartField, () -> EmailAddress.validHostedLocalPart(localPart));
        DomainName domain = errors.check(domainField, () -> DomainName.of(domainName));
        if (domain != null && queries.domain(domain.name()).filter(d -> d.tenantId.equals(tenantId)).isEmpty()) {
            errors.add(domainField, domain + " is not one of your domains; register it first with PUT /api/v1/domains/"
                    + domain);
            return null;
        }
        if (validLocalPart == null || domain == null) {
            return null;
        }
        return errors.check(localPartField, () -> new EmailAddress(validLocalPart, domain));
    }

    private static List<String> forwardAddresses(FieldErrors errors, List<String> input, EmailAddress own) {
        if (input == null || input.isEmpty()) {
            return List.of();
        }
        if (input.size() > MAX_FORWARD_ADDRESSES) {
            errors.add("forwardTo", "at most " + MAX_FORWARD_ADDRESSES + " forwarding addresses are allowed");
            return List.of();
        }
        List<String> valid = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            String field = "forwardTo[" + i + "]";
            int index = i;
            EmailAddress target = errors.check(field, () -> EmailAddress.parse(input.get(index)));
            if (target == null) {
                continue;
            }
            if (target.equals(own)) {
                errors.add(field, "a mailbox cannot forward to itself");
            } else if (!seen.add(target.toString())) {
                errors.add(field, target + " is listed twice");
            } else {
                // Another provider may treat the local part case-sensitively: keep it as entered.
                String entered = input.get(index).strip();
                valid.add(entered.substring(0, entered.lastIndexOf('@')) + "@" + target.domain());
            }
        }
        return valid;
    }

    private static String personName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidValueException("must not be blank");
        }
        String stripped = name.strip();
        if (stripped.codePointCount(0, stripped.length()) > 100) {
            throw new InvalidValueException("must be at most 100 characters long");
        }
        if (stripped.codePoints().anyMatch(c -> Character.isISOControl(c) || c == '<' || c == '>' || c == '"')) {
            throw new InvalidValueException("must not contain control characters, quotes or angle brackets");
        }
        return stripped;
    }

    private static String systemUserId(String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidValueException("must not be blank: select the system user the mailbox belongs to");
        }
        if (!SYSTEM_USER_ID.matcher(id).matches()) {
            throw new InvalidValueException("must be 1-64 letters, digits or . _ @ -");
        }
        return id;
    }

    private static <T> T parse(String field, Supplier<T> parser) {
        FieldErrors errors = new FieldErrors();
        T value = errors.check(field, parser);
        errors.throwIfAny();
        return value;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
