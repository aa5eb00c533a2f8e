package dev.mailops.mailbox.command;

public record ChangeBasicFee(String plan) {
}
