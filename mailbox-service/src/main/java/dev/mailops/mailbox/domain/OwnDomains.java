package dev.mailops.mailbox.domain;

/** The mail domains a tenant registered: its mailboxes and aliases are created at these only. */
@FunctionalInterface
public interface OwnDomains {

    boolean include(DomainName domain);

    /**
     * A hosted address at one of these domains, or null after recording what is wrong with the local
     * part or the domain under their fields (an address too long as a whole counts against the local part).
     */
    default EmailAddress address(FieldViolations violations, String localPartField, String localPart,
            String domainField, String domain) {
        String validLocalPart = violations.check(localPartField, () -> EmailAddress.validHostedLocalPart(localPart));
        DomainName validDomain = violations.check(domainField, () -> DomainName.of(domain));
        if (validDomain != null && !include(validDomain)) {
            violations.add(domainField, validDomain + " is not one of your domains; register it first with "
                    + "PUT /api/v1/domains/" + validDomain);
            return null;
        }
        if (validLocalPart == null || validDomain == null) {
            return null;
        }
        return violations.check(localPartField, () -> new EmailAddress(validLocalPart, validDomain));
    }
}
