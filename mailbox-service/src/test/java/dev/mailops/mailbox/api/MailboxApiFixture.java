package dev.mailops.mailbox.api;

import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;

import dev.mailops.mailbox.credentials.PasswordHasher;

/**
 * What the mailbox API tests share: each test a tenant of its own with a registered domain, and what the
 * API left in the database read back (the stored password hash, the tenant's events).
 */
abstract class MailboxApiFixture {

    @Inject
    EntityManager entityManager;
    @Inject
    PasswordHasher hasher;

    String tenant;
    String domain;

    @BeforeEach
    void tenantWithDomain() {
        tenant = newTenant();
        domain = newDomain();
        registerDomain(tenant, domain);
    }

    String storedHash(String mailboxId) {
        return (String) entityManager.createNativeQuery(
                "select password_hash from mailbox_credential where mailbox_id = cast(?1 as uuid)")
                .setParameter(1, mailboxId).getSingleResult();
    }

    long eventCount() {
        return ((Number) entityManager.createNativeQuery("select count(*) from event_store where tenant_id = ?1")
                .setParameter(1, tenant).getSingleResult()).longValue();
    }
}
