package dev.mailops.mailbox.address;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.LockOptions;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mailops.mailbox.domain.RuleViolation;

/**
 * Which addresses are taken, across all tenants. Claims are inserted with ON CONFLICT DO NOTHING,
 * so of two transactions claiming one address the second waits for the first and then loses cleanly.
 */
@ApplicationScoped
public class AddressRegistry {

    @Inject
    EntityManager entityManager;

    /** The claim on the address, locked for the rest of the transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<AddressClaim> lock(String address) {
        return Optional.ofNullable(entityManager.find(AddressClaim.class, address, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Whether an address can be created at {@code now}; a due claim counts as available. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String address, String status, Instant blockedUntil) {
    }

    public Status status(String address, Instant now) {
        AddressClaim claim = entityManager.find(AddressClaim.class, address);
        if (claim == null || claim.blocked() && !claim.blockedUntil.isAfter(now)) {
            return new Status(address, "AVAILABLE", null);
        }
        return claim.blocked() ? new Status(address, "BLOCKED", claim.blockedUntil) : new Status(address, "TAKEN", null);
    }

    /** Claims a free address; refused as address-taken when another transaction got it first. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void claim(String address, String tenantId, UUID mailboxId, AddressClaim.Kind kind) {
        int inserted = entityManager.createNativeQuery("""
                insert into address_claim (address, tenant_id, mailbox_id, kind) values (?1, ?2, ?3, ?4)
                on conflict (address) do nothing""")
                .setParameter(1, address)
                .setParameter(2, tenantId)
                .setParameter(3, mailboxId)
                .setParameter(4, kind.name())
                .executeUpdate();
        if (inserted != 1) {
            throw taken(address);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void block(Collection<String> addresses, Instant until) {
        entityManager.createQuery("update AddressClaim c set c.blockedUntil = :until where c.address in :addresses")
                .setParameter("until", until)
                .setParameter("addresses", addresses)
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void remove(AddressClaim claim) {
        entityManager.remove(claim);
        entityManager.flush(); // the address may be claimed again in this transaction
    }

    /** Quarantined addresses due for release, oldest first (not locked: see {@link #lockIfDue}). */
    @Transactional
    public List<String> due(Instant now, int limit) {
        return entityManager.createQuery(
                "select c.address from AddressClaim c where c.blockedUntil <= :now order by c.blockedUntil", String.class)
                .setParameter("now", now)
                .setMaxResults(limit)
                .getResultList();
    }

    /**
     * The claim, locked, if it is still due; empty when another transaction holds it (SKIP LOCKED)
     * or already released it. This is what makes concurrent releasers release each address once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<AddressClaim> lockIfDue(String address, Instant now) {
        return entityManager.createQuery(
                "from AddressClaim c where c.address = :address and c.blockedUntil <= :now", AddressClaim.class)
                .setParameter("address", address)
                .setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED)
                .getResultStream()
                .findFirst();
    }

    public static RuleViolation taken(String address) {
        return new RuleViolation("address-taken", "Address already in use", address + " is already in use", Map.of("address", address));
    }

    public static RuleViolation blocked(String address, Instant availableAt) {
        return new RuleViolation("address-blocked", "Address blocked after deletion", address + " was deleted recently and can be used again from "
                + availableAt, Map.of("address", address, "availableAt", availableAt.toString()));
    }
}
