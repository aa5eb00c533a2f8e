package dev.mailops.billing.rebuild;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.PGConnection;

/**
 * Rows for one table, sent with the driver's CopyManager in PostgreSQL's COPY text format. The values are
 * kept as they are and written out as text by {@link #copyTo}: on the rebuild's COPY thread, not on the
 * thread that applies the events (the text was a third of its work).
 */
final class CopyRows {

    private final String copy;
    private final List<Object[]> rows = new ArrayList<>();

    CopyRows(String table, String columns) {
        this.copy = "copy " + table + " (" + columns + ") from stdin";
    }

    /** @param values kept, not copied: the caller hands them over */
    void row(Object... values) {
        rows.add(values);
    }

    int rows() {
        return rows.size();
    }

    /** Sends the rows collected so far and starts over. */
    void copyTo(Connection connection) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(rows.size() * 256);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                append(text, row[i]);
            }
            text.append('\n');
        }
        try {
            // As bytes: through a Reader, the driver widened every character and narrowed it again.
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy,
                    new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.clear();
    }

    private static void append(StringBuilder text, Object value) {
        if (value == null) {
            text.append("\\N");
        } else if (value instanceof BigDecimal decimal) {
            text.append(decimal.toPlainString());
        } else if (value instanceof String string) {
            appendEscaped(text, string);
        } else {
            text.append(value); // numbers, UUIDs, Instants (ISO-8601 in UTC, which timestamptz reads)
        }
    }

    private static void appendEscaped(StringBuilder text, String string) {
        if (!needsEscaping(string)) {
            text.append(string);
            return;
        }
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }

    private static boolean needsEscaping(String string) {
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }
}
