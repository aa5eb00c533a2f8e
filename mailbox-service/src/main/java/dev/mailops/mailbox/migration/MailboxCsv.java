package dev.mailops.mailbox.migration;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.databind.SequenceWriter;

import dev.mailops.mailbox.command.ImportMailbox;
import dev.mailops.mailbox.domain.FieldViolation;

/**
 * The CSV of a migration (docs/import.md): UTF-8, a header row naming the columns, then one mailbox per
 * line. Lists (forwarding targets, aliases) are separated by blanks. A cell that a spreadsheet would take
 * for a formula (starting with {@code = + - @}, a tab or a carriage return) is written with a leading
 * apostrophe, as is one that starts with an apostrophe, and the import drops one leading apostrophe again:
 * an exported file opens safely in a spreadsheet and imports to the same values (OWASP, CSV injection).
 * Parsed and written by Jackson's CSV module.
 */
public final class MailboxCsv {

    public static final List<String> COLUMNS = List.of("localPart", "domain", "firstName", "lastName", "systemUserId",
            "rate", "forwardTo", "keepCopy", "aliases", "password", "passwordHash");
    static final Set<String> REQUIRED = Set.of("localPart", "domain", "firstName", "lastName", "systemUserId", "rate");
    /** Secrets are taken as they are: a password may well start with an apostrophe. */
    private static final Set<String> VERBATIM = Set.of("password", "passwordHash");
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private MailboxCsv() {
    }

    /** One line of the file: its number (the header is line 1), the mailbox, and what made no sense in it as CSV. */
    public record Line(int number, ImportMailbox mailbox, List<FieldViolation> formatErrors) {
    }

    /** The file cannot be read as this format at all; {@code field} is "file". */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** The file's lines, at most {@code maxLines} besides the header; {@link Unreadable} when it is not this format. */
    public static List<Line> read(byte[] file, int maxLines) {
        String text = utf8(file);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Line> lines = new ArrayList<>();
        try (MappingIterator<List<String>> rows = MAPPER.readerForListOf(String.class).readValues(text)) {
            if (!rows.hasNext()) {
                throw new Unreadable("is empty: the first line must be the header, e.g. " + String.join(",", COLUMNS));
            }
            Map<String, Integer> header = header(rows.next());
            while (rows.hasNext()) {
                List<String> cells = rows.next();
                if (lines.size() == maxLines) {
                    throw new Unreadable("has more than " + maxLines + " mailboxes; split it into several imports");
                }
                lines.add(line(lines.size() + 2, header, cells));
            }
        } catch (IOException | RuntimeJsonMappingException e) {
            throw new Unreadable("is not valid CSV after line " + (lines.size() + 1));
        }
        return lines;
    }

    private static String utf8(byte[] file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(file)).toString();
        } catch (CharacterCodingException e) {
            throw new Unreadable("is not UTF-8");
        }
    }

    private static Map<String, Integer> header(List<String> names) {
        Map<String, Integer> header = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip();
            if (!COLUMNS.contains(name)) {
                throw new Unreadable("has the unknown column '" + printable(name) + "' in its header; the columns are "
                        + String.join(",", COLUMNS));
            }
            if (header.put(name, i) != null) {
                throw new Unreadable("names the column " + name + " twice in its header");
            }
        }
        List<String> missing = REQUIRED.stream().filter(column -> !header.containsKey(column)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new Unreadable("lacks the columns " + missing + " in its header");
        }
        return header;
    }

    private static Line line(int number, Map<String, Integer> header, List<String> cells) {
        List<FieldViolation> errors = new ArrayList<>();
        if (cells.size() != header.size()) {
            errors.add(new FieldViolation("line", "has " + cells.size() + " cells; the header has " + header.size()));
        }
        Map<String, String> value = new HashMap<>();
        header.forEach((column, index) -> {
            String cell = index < cells.size() ? cells.get(index) : "";
            value.put(column, VERBATIM.contains(column) ? cell : unescape(cell));
        });
        Boolean keepCopy = switch (value.getOrDefault("keepCopy", "").strip().toLowerCase(Locale.ROOT)) {
            case "" -> null;
            case "true" -> true;
            case "false" -> false;
            default -> {
                errors.add(new FieldViolation("keepCopy", "must be true, false or empty"));
                yield null;
            }
        };
        return new Line(number, new ImportMailbox(value.get("localPart"), value.get("domain"), value.get("firstName"),
                value.get("lastName"), value.get("systemUserId"), value.get("rate"), list(value.get("forwardTo")),
                keepCopy, list(value.get("aliases")), blankToNull(value.get("password")),
                blankToNull(value.get("passwordHash"))), List.copyOf(errors));
    }

    /** Writes mailboxes in this format, header first; password and hash stay empty. */
    public static Writer writer(OutputStream out) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder();
        COLUMNS.forEach(schema::addColumn);
        return new Writer(MAPPER.writer(schema.build().withHeader()).writeValues(out));
    }

    /** Writes one mailbox per call; close it at the end. */
    public static final class Writer implements AutoCloseable {
        private final SequenceWriter rows;

        Writer(SequenceWriter rows) {
            this.rows = rows;
        }

        public void write(ImportMailbox mailbox) throws IOException {
            rows.write(Arrays.asList(neutralise(mailbox.localPart()), neutralise(mailbox.domain()),
                    neutralise(mailbox.firstName()), neutralise(mailbox.lastName()), neutralise(mailbox.systemUserId()),
                    neutralise(mailbox.rate()), neutralise(String.join(" ", mailbox.forwardTo())),
                    Boolean.TRUE.equals(mailbox.keepCopy()) ? "true" : "false",
                    neutralise(String.join(" ", mailbox.aliases())), "", ""));
        }

        public void flush() throws IOException {
            rows.flush();
        }

        @Override
        public void close() throws IOException {
            rows.close();
        }
    }

    /** The cell as a spreadsheet shows it, never as a formula. */
    static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "";
        }
        return "=+-@\t\r'".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }

    static String unescape(String cell) {
        return cell.startsWith("'") ? cell.substring(1) : cell;
    }

    private static List<String> list(String cell) {
        return cell == null || cell.isBlank() ? List.of() : List.of(cell.strip().split("\\s+"));
    }

    private static String blankToNull(String cell) {
        return cell == null || cell.isEmpty() ? null : cell;
    }

    private static String printable(String name) {
        String shown = name.codePoints().filter(c -> !Character.isISOControl(c)).limit(40)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return shown;
    }
}
