package dev.mailops.mailbox.domain;

import java.util.List;

/**
 * A mailbox about to be created: the fields of the "Create mailbox" dialog, each a checked value.
 * The password is not among them; it never enters the domain.
 */
public record NewMailbox(EmailAddress address, PersonName firstName, PersonName lastName, SystemUserId systemUserId,
        Forwarding forwarding) {

    /** The fields as entered, before any rule is checked. */
    public record Form(String localPart, String domain, String firstName, String lastName, String systemUserId,
            List<String> forwardTo, Boolean keepCopy) {
    }

    /**
     * The new mailbox, or null after recording every field that breaks a rule: the address must be
     * at one of the tenant's own domains, both names and the system user must be given in their
     * formats, the system user must be an enabled user of the tenant ({@link SystemUsers}), and the
     * forwarding must follow its rules ({@link Forwarding}).
     */
    public static NewMailbox check(Form form, OwnDomains ownDomains, SystemUsers systemUsers,
            FieldViolations violations) {
        EmailAddress address = ownDomains.address(violations, "localPart", form.localPart(), "domain", form.domain());
        PersonName firstName = violations.check("firstName", () -> PersonName.of(form.firstName()));
        PersonName lastName = violations.check("lastName", () -> PersonName.of(form.lastName()));
        SystemUserId systemUserId = systemUsers.selectable(violations, "systemUserId",
                violations.check("systemUserId", () -> SystemUserId.of(form.systemUserId())));
        Forwarding forwarding = Forwarding.check(violations, form.forwardTo(), form.keepCopy(), address);
        if (address == null || firstName == null || lastName == null || systemUserId == null || forwarding == null) {
            return null;
        }
        return new NewMailbox(address, firstName, lastName, systemUserId, forwarding);
    }

    /** The new mailbox, or {@link InvalidFields} naming every field that breaks a rule. */
    public static NewMailbox of(Form form, OwnDomains ownDomains, SystemUsers systemUsers) {
        FieldViolations violations = new FieldViolations();
        NewMailbox mailbox = check(form, ownDomains, systemUsers, violations);
        violations.throwIfAny();
        return mailbox;
    }
}
