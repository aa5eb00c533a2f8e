package dev.mailops.billing.contract.rules;

import java.math.BigDecimal;
import java.time.Instant;

/** A span during which one basic fee plan applied, at the net price it was booked at; open while endsAt is null. */
public record FeePeriod(String tenantId, String plan, BigDecimal monthlyNetPrice, Instant startsAt, Instant endsAt) {

    FeePeriod endedAt(Instant at) {
        return new FeePeriod(tenantId, plan, monthlyNetPrice, startsAt, at);
    }
}
