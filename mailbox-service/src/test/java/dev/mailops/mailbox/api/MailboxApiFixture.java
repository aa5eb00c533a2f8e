package dev.mailops.mailbox.api;

import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.credentials.PasswordHasher;

/**
 * What the mailbox API tests share: each test a tenant of its own with a registered domain, and what the
 * API left in the database read back (the stored password hash, the tenant's events).
 */
abstract class MailboxApiFixture {

    @Inject
    Database database;
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
        return database.first(
                "select password_hash from mailbox_credential where mailbox_id = cast(? as uuid)", row -> row.getString(1), mailboxId).orElse(null);
    }

    long eventCount() {
        return database.count("select count(*) from event_store where tenant_id = ?", tenant);
    }
}
