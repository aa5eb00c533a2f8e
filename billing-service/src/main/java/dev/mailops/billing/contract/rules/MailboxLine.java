package dev.mailops.billing.contract.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One mailbox on the contract at one rate, with the net price it was booked at: from the mailbox's
 * creation or the rate change that opened it, to its deletion or the rate change that replaced it.
 *
 * @param replaced whether a rate change ended the line; the change's day then belongs to the new rate's
 *                 line, while a deleted mailbox's line bills its deletion day
 */
public record MailboxLine(UUID mailboxId, String tenantId, String address, String rate, BigDecimal monthlyNetPrice,
        Instant startsAt, Instant endsAt, boolean replaced) {

    /** A line as it opens: no end yet. */
    static MailboxLine opened(UUID mailboxId, String tenantId, String address, String rate, BigDecimal price,
            Instant at) {
        return new MailboxLine(mailboxId, tenantId, address, rate, price, at, null, false);
    }

    MailboxLine endedAt(Instant at, boolean byRateChange) {
        return new MailboxLine(mailboxId, tenantId, address, rate, monthlyNetPrice, startsAt, at, byRateChange);
    }
}
