package dev.mailops.mailbox.command;

/** The field of the "Change rate" dialog: a rate id of the catalog; the mailbox is in the path. */
public record ChangeRate(String rate) {
}
