package dev.mailops.mailbox.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value objects of a new mailbox, each on its own. */
class ValueObjectsTest {

    @Test
    void aPersonNameIsKeptWithoutSurroundingBlanks() {
        assertThat(PersonName.of("  Anna Maria ").value()).isEqualTo("Anna Maria");
    }

    @Test
    void aPersonNameHasAtMost100Characters() {
        assertThat(PersonName.of("é".repeat(100)).value()).hasSize(100);
        assertThat(PersonName.of("\uD83D\uDE00".repeat(100)).value()).as("counted in characters, not chars")
                .hasSize(200);
        assertThatThrownBy(() -> PersonName.of("x".repeat(101))).isInstanceOf(InvalidValue.class)
                .hasMessage("must be at most 100 characters long");
    }

    @ParameterizedTest
    @ValueSource(strings = { "Anna \"Ann\"", "<Anna>", "An\nna", "An\u0000na" })
    void aPersonNameCannotBreakAMailHeader(String name) {
        assertThatThrownBy(() -> PersonName.of(name)).isInstanceOf(InvalidValue.class)
                .hasMessage("must not contain control characters, quotes or angle brackets");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "  " })
    void aPersonNameIsNotBlank(String name) {
        assertThatThrownBy(() -> PersonName.of(name)).hasMessage("must not be blank");
        assertThatThrownBy(() -> PersonName.of(null)).hasMessage("must not be blank");
    }

    @ParameterizedTest
    @ValueSource(strings = { "u-17", "anna.berg@shop", "A_1", "x" })
    void aSystemUserIdIsKeptAsEntered(String id) {
        assertThat(SystemUserId.of(id).value()).isEqualTo(id);
    }

    @Test
    void aSystemUserIdHasUpTo64LettersDigitsOrDotUnderscoreAtHyphen() {
        assertThat(SystemUserId.of("u".repeat(64)).value()).hasSize(64);
        for (String bad : List.of("u".repeat(65), "u 17", "u/17", "ü17")) {
            assertThatThrownBy(() -> SystemUserId.of(bad)).as(bad).isInstanceOf(InvalidValue.class)
                    .hasMessage("must be 1-64 letters, digits or . _ @ -");
        }
        assertThatThrownBy(() -> SystemUserId.of(" "))
                .hasMessage("must not be blank: select the system user the mailbox belongs to");
    }

    @Test
    void forwardingKeepsTheEnteredLocalPartAndNormalisesTheDomain() {
        FieldViolations violations = new FieldViolations();
        Forwarding forwarding = Forwarding.check(violations, List.of(" Office@Partner.Example "), true,
                EmailAddress.parse("anna@shop.example"));
        assertThat(violations.list()).isEmpty();
        assertThat(forwarding).isEqualTo(new Forwarding(List.of("Office@partner.example"), true));
    }

    @Test
    void noForwardingIsNoneAndKeepsNoCopy() {
        FieldViolations violations = new FieldViolations();
        assertThat(Forwarding.check(violations, null, null, null)).isEqualTo(Forwarding.NONE);
        assertThat(Forwarding.check(violations, List.of(), false, null)).isEqualTo(Forwarding.NONE);
        assertThat(violations.list()).isEmpty();
    }

    @Test
    void aForwardingItselfKeepsItsRules() {
        assertThatThrownBy(() -> new Forwarding(List.of(), true)).isInstanceOf(IllegalArgumentException.class);
        List<String> tooMany = java.util.stream.IntStream.range(0, 21).mapToObj(i -> "t" + i + "@p.example").toList();
        assertThatThrownBy(() -> new Forwarding(tooMany, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldViolationsKeepTheOrderTheFieldsWereChecked() {
        FieldViolations violations = new FieldViolations();
        assertThat(violations.check("b", () -> PersonName.of(""))).isNull();
        assertThat(violations.check("a", () -> SystemUserId.of("ok"))).isEqualTo(new SystemUserId("ok"));
        violations.add("c", "is wrong");
        assertThat(violations.list()).containsExactly(new FieldViolation("b", "must not be blank"),
                new FieldViolation("c", "is wrong"));
        assertThatThrownBy(violations::throwIfAny).isInstanceOf(InvalidFields.class)
                .hasMessage("b: must not be blank; c: is wrong");
        new FieldViolations().throwIfAny();
    }
}
