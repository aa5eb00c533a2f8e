package dev.mailops.billing.api;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonGenerator;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Rows of a long answer written a page at a time. Each page is read in a transaction of its own, as
 * mailbox-service's export does, so a slow reader holds no database connection and only a page is in memory:
 * a row is written once, as its page found it.
 */
final class Pages {

    static final int SIZE = 500;

    interface RowWriter<T> {
        void write(T row) throws IOException;
    }

    private Pages() {
    }

    /**
     * Writes the rows of {@code first}, then of {@code pageAfter(last row written)} until a page is short.
     */
    static <T> void writeAll(List<T> first, Function<T, List<T>> pageAfter, JsonGenerator json, RowWriter<T> writer)
            throws IOException {
        T last = null;
        List<T> page = first;
        while (true) {
            for (T row : page) {
                writer.write(row);
                last = row;
            }
            json.flush();
            if (page.size() < SIZE) {
                return;
            }
            T after = last;
            page = QuarkusTransaction.requiringNew().call(() -> pageAfter.apply(after));
        }
    }

    /** Reads {@code pageAfter(last row written)} (null first) until a page is short, and writes each row. */
    static <T> void writeAll(Function<T, List<T>> pageAfter, JsonGenerator json, RowWriter<T> writer)
            throws IOException {
        writeAll(QuarkusTransaction.requiringNew().call(() -> pageAfter.apply(null)), pageAfter, json, writer);
    }
}
