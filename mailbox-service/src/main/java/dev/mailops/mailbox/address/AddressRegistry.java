package dev.mailops.mailbox.address;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.domain.RuleViolation;

/**
 * Which addresses are taken, across all tenants. Claims are inserted with ON CONFLICT DO NOTHING,
 * so of two transactions claiming one address the second waits for the first and then loses cleanly.
 */
@ApplicationScoped
public class AddressRegistry {

    private static final String CLAIM = "select " + AddressClaim.COLUMNS + " from address_claim where address = ?";

    @Inject
    Database database;

    /** The claim on the address, locked for the rest of the transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<AddressClaim> lock(String address) {
        return database.first(CLAIM + " for update", AddressClaim::read, address);
    }

    /** Whether an address can be created at {@code now}; a due claim counts as available. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String address, String status, Instant blockedUntil) {
    }

    public Status status(String address, Instant now) {
        AddressClaim claim = database.first(CLAIM, AddressClaim::read, address).orElse(null);
        if (claim == null || claim.blocked() && !claim.blockedUntil.isAfter(now)) {
            return new Status(address, "AVAILABLE", null);
        }
        return claim.blocked() ? new Status(address, "BLOCKED", claim.blockedUntil) : new Status(address, "TAKEN", null);
    }

    /** Claims a free address; refused as address-taken when another transaction got it first. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void claim(String address, String tenantId, UUID mailboxId, AddressClaim.Kind kind) {
        int inserted = database.update("""
                insert into address_claim (address, tenant_id, mailbox_id, kind) values (?, ?, ?, ?)
                on conflict (address) do nothing""", address, tenantId, mailboxId, kind.name());
        if (inserted != 1) {
            throw taken(address);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void block(Collection<String> addresses, Instant until) {
        database.update("update address_claim set blocked_until = ? where address = any(?)", until,
                addresses.toArray(String[]::new));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void remove(AddressClaim claim) {
        database.update("delete from address_claim where address = ?", claim.address);
    }

    /** Quarantined addresses due for release, oldest first (not locked: see {@link #lockIfDue}). */
    public List<String> due(Instant now, int limit) {
        return database.list("select address from address_claim where blocked_until <= ? order by blocked_until limit ?",
                row -> row.getString(1), now, limit);
    }

    /**
     * The claim, locked, if it is still due; empty when another transaction holds it (SKIP LOCKED)
     * or already released it. This is what makes concurrent releasers release each address once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<AddressClaim> lockIfDue(String address, Instant now) {
        return database.first(CLAIM + " and blocked_until <= ? for update skip locked", AddressClaim::read, address, now);
    }

    public static RuleViolation taken(String address) {
        return new RuleViolation("address-taken", "Address already in use", address + " is already in use", Map.of("address", address));
    }

    public static RuleViolation blocked(String address, Instant availableAt) {
        return new RuleViolation("address-blocked", "Address blocked after deletion", address + " was deleted recently and can be used again from "
                + availableAt, Map.of("address", address, "availableAt", availableAt.toString()));
    }
}
