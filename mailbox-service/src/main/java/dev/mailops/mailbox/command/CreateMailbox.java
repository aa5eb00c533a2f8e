package dev.mailops.mailbox.command;

import java.util.List;

/**
 * The fields of the "Create mailbox" dialog, as the API receives them. The password goes to the
 * password policy and the hasher only; it never enters the domain or an event.
 */
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
