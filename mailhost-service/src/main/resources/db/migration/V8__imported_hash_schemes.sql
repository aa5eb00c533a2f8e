-- A mailbox brought in by a migration import may keep the hash it had: besides mailbox-service's own
-- {ARGON2ID}, Dovecot verifies {BLF-CRYPT} (bcrypt) and {SHA512-CRYPT}. mailbox-service checks each hash's
-- exact form before it publishes it (contract: MailboxCredential v1); here only the scheme is held to.
alter table mailbox_credential drop constraint mailbox_credential_password_hash_check;
alter table mailbox_credential add constraint mailbox_credential_password_hash_check
    check (password_hash like '{ARGON2ID}$argon2id$%' or password_hash like '{BLF-CRYPT}$2_$%'
        or password_hash like '{SHA512-CRYPT}$6$%');
