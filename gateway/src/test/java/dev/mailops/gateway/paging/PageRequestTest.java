package dev.mailops.gateway.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mailops.kit.errors.FieldError;
import dev.mailops.kit.errors.ValidationException;

class PageRequestTest {

    @Test
    void withoutNumbersTheFirstPageOfTwentyIsAsked() {
        // given no page and no size
        // when the request is parsed
        Page.Request request = Page.Request.parse(null, " ");
        // then it is the first page of 20
        assertThat(request).isEqualTo(new Page.Request(0, 20));
        assertThat(request.offset()).isZero();
    }

    @Test
    void theLargestAllowedPageHasAnOffsetThatFitsAnInt() {
        Page.Request request = Page.Request.parse(String.valueOf(Page.MAX_PAGE), String.valueOf(Page.MAX_SIZE));
        assertThat(request.offset()).isEqualTo(10_000_000);
    }

    @Test
    void hugeNegativeAndNonNumericValuesAreRefusedNamingTheirField() {
        for (String page : List.of("99999999999999999999", "2147483648", "-1", "100001", "1e3", "x")) {
            assertThatThrownBy(() -> Page.Request.parse(page, "20")).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("page"));
        }
        for (String size : List.of("0", "101", "99999999999999999999", "-5")) {
            assertThatThrownBy(() -> Page.Request.parse("0", size)).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("size"));
        }
        assertThatThrownBy(() -> Page.Request.parse("-1", "0")).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("page", "size"));
    }

    @Test
    void aPageCountsItsTotalPagesRoundingUp() {
        Page<String> page = new Page.Request(1, 3).of(List.of("d"), 4);
        assertThat(page.totalPages()).isEqualTo(2);
        assertThat(page.page()).isEqualTo(1);
        assertThat(new Page.Request(0, 3).of(List.of(), 0).totalPages()).isZero();
    }
}
