package dev.mailops.mailbox.command;

import java.util.List;

/** The fields of the manual's "Create mailbox" dialog (table 1), as the API receives them. */
public record CreateMailbox(
        String localPart,
        String domain,
        String firstName,
        String lastName,
        String systemUserId,
        List<String> forwardTo,
        Boolean keepCopy,
        String password,
        String passwordConfirmation,
        String rate) {

    @Override
    public String toString() {
        return "CreateMailbox[" + localPart + "@" + domain + ", rate=" + rate + ", password=***]";
    }
}
