package dev.mailops.billing.contract.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One mailbox on the contract, with the rate and net price it was booked at, from creation to deletion. */
public record MailboxLine(UUID mailboxId, String tenantId, String address, String rate, BigDecimal monthlyNetPrice,
        Instant startsAt, Instant endsAt) {

    MailboxLine endedAt(Instant at) {
        return new MailboxLine(mailboxId, tenantId, address, rate, monthlyNetPrice, startsAt, at);
    }
}
