package dev.mailops.mailbox.command;

/**
 * The fields of the "Change password" dialog; the mailbox is in the path. The password goes to the
 * password policy and the hasher only.
 */
public record ChangePassword(String password, String passwordConfirmation) {

    @Override
    public String toString() {
        return "ChangePassword[password=***]";
    }
}
