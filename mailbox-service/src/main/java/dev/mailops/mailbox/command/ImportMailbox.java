package dev.mailops.mailbox.command;

import java.util.List;

/**
 * One mailbox of a migration import: the fields of "Create mailbox" with its aliases, and either a password
 * (checked by the password policy, hashed before it is kept anywhere) or a hash that Dovecot verifies. Both
 * may be missing when the mailbox exists already with these fields: it is left as it is.
 */
public record ImportMailbox(
        String localPart,
        String domain,
        String firstName,
        String lastName,
        String systemUserId,
        String rate,
        List<String> forwardTo,
        Boolean keepCopy,
        List<String> aliases,
        String password,
        String passwordHash) {

    public ImportMailbox {
        forwardTo = forwardTo == null ? List.of() : List.copyOf(forwardTo);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** The same mailbox with its password replaced by the hash made of it. */
    public ImportMailbox withHash(String hash) {
        return new ImportMailbox(localPart, domain, firstName, lastName, systemUserId, rate, forwardTo, keepCopy,
                aliases, null, hash);
    }

    /** The same mailbox without password or hash: what a job keeps once the line is done. */
    public ImportMailbox withoutSecret() {
        return new ImportMailbox(localPart, domain, firstName, lastName, systemUserId, rate, forwardTo, keepCopy,
                aliases, null, null);
    }

    @Override
    public String toString() {
        return "ImportMailbox[" + localPart + "@" + domain + ", rate=" + rate + ", password=***]";
    }
}
