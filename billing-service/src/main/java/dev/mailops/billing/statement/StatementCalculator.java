package dev.mailops.billing.statement;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A month's charges, pro-rated to the day. A mailbox is billed from the day it was created through
 * the day it was deleted; a rate, like a basic fee plan, from the day it was booked up to (not
 * including) the day another one replaced it, so a change's day is billed once, at the new price. Each line is price × days / days of the month, rounded half-up to the
 * cent; VAT is computed once on the net total.
 */
public final class StatementCalculator {

    public static final int MONEY_SCALE = 2;

    /** Something billed monthly over a span of time. */
    public record Item(String kind, String reference, String description, String priceId, BigDecimal monthlyNetPrice,
            Instant startsAt, Instant endsAt, boolean endDayBilled) {
    }

    public record Line(String kind, String reference, String description, String priceId, BigDecimal monthlyNetPrice,
            LocalDate from, LocalDate to, long days, int daysInMonth, BigDecimal net) {
    }

    public record Totals(BigDecimal net, BigDecimal vatPercent, BigDecimal vat, BigDecimal gross) {
    }

    private StatementCalculator() {
    }

    public static List<Line> lines(List<Item> items, YearMonth month, ZoneId zone) {
        List<Line> lines = new ArrayList<>();
        for (Item item : items) {
            line(item, month, zone).ifPresent(lines::add);
        }
        return lines;
    }

    /** The item's line in the month; empty when it was not billed on any day of it. */
    public static Optional<Line> line(Item item, YearMonth month, ZoneId zone) {
        LocalDate first = month.atDay(1);
        LocalDate afterLast = month.atEndOfMonth().plusDays(1);
        LocalDate start = item.startsAt().atZone(zone).toLocalDate();
        LocalDate end = item.endsAt() == null ? afterLast
                : item.endsAt().atZone(zone).toLocalDate().plusDays(item.endDayBilled() ? 1 : 0);
        LocalDate from = start.isAfter(first) ? start : first;
        LocalDate until = end.isBefore(afterLast) ? end : afterLast;
        long days = ChronoUnit.DAYS.between(from, until);
        if (days <= 0) {
            return Optional.empty();
        }
        BigDecimal net = item.monthlyNetPrice().multiply(BigDecimal.valueOf(days))
                .divide(BigDecimal.valueOf(month.lengthOfMonth()), MONEY_SCALE, RoundingMode.HALF_UP);
        return Optional.of(new Line(item.kind(), item.reference(), item.description(), item.priceId(),
                item.monthlyNetPrice(), from, until.minusDays(1), days, month.lengthOfMonth(), net));
    }

    public static Totals totals(List<Line> lines, BigDecimal vatPercent) {
        BigDecimal net = lines.stream().map(Line::net).reduce(BigDecimal.ZERO.setScale(MONEY_SCALE), BigDecimal::add);
        return totals(net, vatPercent);
    }

    public static Totals totals(BigDecimal net, BigDecimal vatPercent) {
        BigDecimal vat = net.multiply(vatPercent).divide(BigDecimal.valueOf(100), MONEY_SCALE, RoundingMode.HALF_UP);
        return new Totals(net.setScale(MONEY_SCALE), vatPercent, vat, net.add(vat).setScale(MONEY_SCALE));
    }
}
