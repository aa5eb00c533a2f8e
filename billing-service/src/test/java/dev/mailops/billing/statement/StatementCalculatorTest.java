package dev.mailops.billing.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mailops.billing.statement.StatementCalculator.Item;
import dev.mailops.billing.statement.StatementCalculator.Line;

class StatementCalculatorTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

    static Item mailbox(String price, String start, String end) {
        return new Item("MAILBOX", "m", "Mailbox", "RATE", new BigDecimal(price), Instant.parse(start),
                end == null ? null : Instant.parse(end), true);
    }

    static Item fee(String price, String start, String end) {
        return new Item("BASIC_FEE", "p", "Basic fee", "PLAN", new BigDecimal(price), Instant.parse(start),
                end == null ? null : Instant.parse(end), false);
    }

    @Test
    void aWholeMonthCostsTheMonthlyPrice() {
        List<Line> lines = StatementCalculator.lines(List.of(mailbox("3.00", "2026-10-05T10:00:00Z", null)), NOVEMBER, BERLIN);
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.days()).isEqualTo(30);
            assertThat(line.net()).isEqualByComparingTo("3.00");
            assertThat(line.from()).isEqualTo(LocalDate.of(2026, 11, 1));
            assertThat(line.to()).isEqualTo(LocalDate.of(2026, 11, 30));
        });
    }

    @Test
    void aMailboxIsBilledFromItsCreationDayThroughItsDeletionDay() {
        Line created = StatementCalculator.lines(List.of(mailbox("3.00", "2026-11-16T10:00:00Z", null)), NOVEMBER, BERLIN)
                .get(0);
        assertThat(created.days()).isEqualTo(15);
        assertThat(created.net()).isEqualByComparingTo("1.50");
        Line deleted = StatementCalculator.lines(
                List.of(mailbox("9.00", "2026-10-01T10:00:00Z", "2026-11-10T09:00:00Z")), NOVEMBER, BERLIN).get(0);
        assertThat(deleted.days()).isEqualTo(10);
        assertThat(deleted.net()).isEqualByComparingTo("3.00");
        Line sameDay = StatementCalculator.lines(
                List.of(mailbox("9.00", "2026-11-10T08:00:00Z", "2026-11-10T09:00:00Z")), NOVEMBER, BERLIN).get(0);
        assertThat(sameDay.days()).isEqualTo(1);
        assertThat(sameDay.net()).isEqualByComparingTo("0.30");
    }

    @Test
    void daysFollowTheProvidersTimeZone() {
        // 23:30 UTC on 30 November is already 1 December in Berlin: not billed in November.
        assertThat(StatementCalculator.lines(List.of(mailbox("3.00", "2026-11-30T23:30:00Z", null)), NOVEMBER, BERLIN))
                .isEmpty();
    }

    @Test
    void aBasicFeeChangeSplitsTheMonthAtTheChangeDay() {
        List<Line> lines = StatementCalculator.lines(List.of(
                fee("0.00", "2026-10-01T00:00:00Z", "2026-11-21T12:00:00Z"),
                fee("4.90", "2026-11-21T12:00:00Z", null)), NOVEMBER, BERLIN);
        assertThat(lines).extracting(Line::days).containsExactly(20L, 10L);
        assertThat(lines).extracting(Line::net).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("0.00"), new BigDecimal("1.63"));
    }

    /** A mailbox's line at a rate a later rate change replaced: its end day is billed at the new rate. */
    static Item replacedRate(String price, String start, String end) {
        return new Item("MAILBOX", "m", "Mailbox", "OLD_RATE", new BigDecimal(price), Instant.parse(start),
                Instant.parse(end), false);
    }

    @Test
    void aRateChangeSplitsTheMonthAtTheChangeDayWhichTheNewRateBills() {
        List<Line> lines = StatementCalculator.lines(List.of(
                replacedRate("3.00", "2026-10-05T10:00:00Z", "2026-11-11T09:00:00Z"),
                mailbox("9.00", "2026-11-11T09:00:00Z", null)), NOVEMBER, BERLIN);
        assertThat(lines).extracting(Line::days).containsExactly(10L, 20L);
        assertThat(lines).extracting(Line::to).containsExactly(LocalDate.of(2026, 11, 10), LocalDate.of(2026, 11, 30));
        assertThat(lines).extracting(Line::net).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("1.00"), new BigDecimal("6.00"));
    }

    @Test
    void aMailboxWhoseRateChangesOnItsCreationOrDeletionDayIsBilledThatDayOnce() {
        List<Line> changedOnCreationDay = StatementCalculator.lines(List.of(
                replacedRate("3.00", "2026-11-11T08:00:00Z", "2026-11-11T09:00:00Z"),
                mailbox("9.00", "2026-11-11T09:00:00Z", null)), NOVEMBER, BERLIN);
        assertThat(changedOnCreationDay).extracting(Line::priceId, Line::days)
                .containsExactly(tuple("RATE", 20L));
        List<Line> changedOnDeletionDay = StatementCalculator.lines(List.of(
                replacedRate("3.00", "2026-10-05T10:00:00Z", "2026-11-11T09:00:00Z"),
                mailbox("9.00", "2026-11-11T09:00:00Z", "2026-11-11T15:00:00Z")), NOVEMBER, BERLIN);
        assertThat(changedOnDeletionDay).extracting(Line::days).containsExactly(10L, 1L);
        assertThat(StatementCalculator.totals(changedOnDeletionDay, BigDecimal.ZERO).net()).isEqualByComparingTo("1.30");
    }

    @Test
    void periodsOutsideTheMonthAreLeftOut() {
        assertThat(StatementCalculator.lines(List.of(
                mailbox("3.00", "2026-12-01T10:00:00Z", null),
                mailbox("3.00", "2026-09-01T10:00:00Z", "2026-10-31T10:00:00Z")), NOVEMBER, BERLIN)).isEmpty();
    }

    @Test
    void vatIsComputedOnceOnTheNetTotalAndRoundedHalfUp() {
        List<Line> lines = StatementCalculator.lines(List.of(
                mailbox("3.00", "2026-11-16T10:00:00Z", null),
                mailbox("9.00", "2026-10-01T10:00:00Z", "2026-11-10T09:00:00Z"),
                fee("0.00", "2026-10-01T00:00:00Z", "2026-11-21T12:00:00Z"),
                fee("4.90", "2026-11-21T12:00:00Z", null)), NOVEMBER, BERLIN);
        StatementCalculator.Totals totals = StatementCalculator.totals(lines, new BigDecimal("19"));
        assertThat(totals.net()).isEqualByComparingTo("6.13");
        assertThat(totals.vat()).isEqualByComparingTo("1.16");
        assertThat(totals.gross()).isEqualByComparingTo("7.29");
        assertThat(StatementCalculator.totals(new BigDecimal("0.05"), new BigDecimal("10")).vat())
                .isEqualByComparingTo("0.01"); // 0.005 rounds half up
    }

    @Test
    void leapYearFebruaryHas29Days() {
        Line line = StatementCalculator.lines(List.of(mailbox("2.90", "2028-02-15T10:00:00Z", null)),
                YearMonth.of(2028, 2), BERLIN).get(0);
        assertThat(line.daysInMonth()).isEqualTo(29);
        assertThat(line.days()).isEqualTo(15);
        assertThat(line.net()).isEqualByComparingTo("1.50");
    }
}
