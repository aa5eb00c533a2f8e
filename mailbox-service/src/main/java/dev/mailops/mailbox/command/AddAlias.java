package dev.mailops.mailbox.command;

/** The fields of the "Add alias" dialog; the target mailbox is in the path. */
public record AddAlias(String localPart, String domain) {
}
