package dev.mailops.mailbox.command;

/** The fields of the manual's alias dialog (table 2); the target mailbox is in the path. */
public record AddAlias(String localPart, String domain) {
}
