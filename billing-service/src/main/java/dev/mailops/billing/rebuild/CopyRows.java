package dev.mailops.billing.rebuild;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.PGConnection;

/** Rows for one table in PostgreSQL's COPY text format, sent with the driver's CopyManager. */
final class CopyRows {

    private final String copy;
    private final StringBuilder text = new StringBuilder(1 << 16);
    private int rows;

    CopyRows(String table, String columns) {
        this.copy = "copy " + table + " (" + columns + ") from stdin";
    }

    void row(Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append('\t');
            }
            append(values[i]);
        }
        text.append('\n');
        rows++;
    }

    int rows() {
        return rows;
    }

    /** Sends the rows collected so far and starts over. */
    void copyTo(Connection connection) throws SQLException {
        if (rows == 0) {
            return;
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new StringReader(text.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        text.setLength(0);
        rows = 0;
    }

    private void append(Object value) {
        if (value == null) {
            text.append("\\N");
        } else if (value instanceof BigDecimal decimal) {
            text.append(decimal.toPlainString());
        } else if (value instanceof String string) {
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
        } else {
            text.append(value); // numbers, UUIDs, Instants (ISO-8601 in UTC, which timestamptz reads)
        }
    }
}
