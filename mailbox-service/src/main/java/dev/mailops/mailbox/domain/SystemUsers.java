package dev.mailops.mailbox.domain;

/**
 * The system users of a tenant, as the gateway's user directory announced them: a mailbox belongs to one
 * of them. Only an enabled user can be given a new mailbox: a disabled account can no longer log in to
 * look after it, so a new mailbox for it is almost surely a slip of the dialog; the mailboxes it had
 * stay as they are.
 */
@FunctionalInterface
public interface SystemUsers {

    /** What the tenant's user directory says about a user. */
    enum Standing {
        ENABLED, DISABLED, UNKNOWN
    }

    Standing standing(SystemUserId user);

    /** The user, or null after recording under the field why no new mailbox can belong to it. */
    default SystemUserId selectable(FieldViolations violations, String field, SystemUserId user) {
        if (user == null) {
            return null;
        }
        switch (standing(user)) {
            case ENABLED:
                return user;
            case DISABLED:
                violations.add(field, user + " is disabled: select an enabled user of your tenant");
                return null;
            default:
                violations.add(field, user + " is not a user of your tenant: select one of GET /api/v1/users");
                return null;
        }
    }
}
