package dev.mailops.mailbox.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mailops.mailbox.command.ImportMailbox;
import dev.mailops.mailbox.domain.FieldViolation;

/** The migration CSV: read by its header, bounded, and written so that a spreadsheet never runs a cell. */
class MailboxCsvTest {

    static final String HEADER = String.join(",", MailboxCsv.COLUMNS) + "\n";

    @Test
    void readsEachLineByItsHeaderWithListsAndQuotedCells() {
        String file = "\uFEFFlastName,firstName,localPart,domain,systemUserId,rate,forwardTo,keepCopy,aliases,password\n"
                + "\"Müller, Jr.\",Jörg,joerg,shop.de,u-1,MAIL_LIGHT,a@x.de  b@y.de,TRUE,info@shop.de,'Secret-Pass-1\n"
                + "\n"
                + "Berg,Anna,anna,shop.de,u-2,MAIL_PREMIUM,,,,\n";

        List<MailboxCsv.Line> lines = MailboxCsv.read(bytes(file), 10);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).number()).isEqualTo(2);
        assertThat(lines.get(0).formatErrors()).isEmpty();
        assertThat(lines.get(0).mailbox()).isEqualTo(new ImportMailbox("joerg", "shop.de", "Jörg", "Müller, Jr.", "u-1",
                "MAIL_LIGHT", List.of("a@x.de", "b@y.de"), true, List.of("info@shop.de"), "'Secret-Pass-1", null));
        assertThat(lines.get(1).number()).isEqualTo(3);
        assertThat(lines.get(1).mailbox()).isEqualTo(new ImportMailbox("anna", "shop.de", "Anna", "Berg", "u-2",
                "MAIL_PREMIUM", List.of(), null, List.of(), null, null));
    }

    @Test
    void namesWhatMakesNoSenseInALine() {
        String file = HEADER + "anna,shop.de,Anna,Berg,u-2,MAIL_LIGHT,,maybe,,,\n" + "bob,shop.de,Bob\n";

        List<MailboxCsv.Line> lines = MailboxCsv.read(bytes(file), 10);

        assertThat(lines.get(0).formatErrors()).containsExactly(new FieldViolation("keepCopy", "must be true, false or empty"));
        assertThat(lines.get(1).formatErrors()).containsExactly(new FieldViolation("line", "has 3 cells; the header has 11"));
    }

    @Test
    void refusesAFileItCannotReadAsThisFormat() {
        assertThatThrownBy(() -> MailboxCsv.read(bytes(""), 10)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> MailboxCsv.read(bytes("localPart,domain,nickname\n"), 10))
                .hasMessageContaining("unknown column 'nickname'");
        assertThatThrownBy(() -> MailboxCsv.read(bytes("localPart,domain,firstName\n"), 10))
                .hasMessageContaining("lacks the columns [lastName, rate, systemUserId]");
        assertThatThrownBy(() -> MailboxCsv.read(bytes(HEADER.replace("rate", "domain")), 10))
                .hasMessageContaining("names the column domain twice");
        byte[] latin1 = (HEADER + "joerg,shop.de,Jörg,Berg,u-1,MAIL_LIGHT,,,,,\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> MailboxCsv.read(latin1, 10)).hasMessage("is not UTF-8");
        assertThatThrownBy(() -> MailboxCsv.read(bytes(HEADER + "\"anna,shop.de\n"), 10)).hasMessageContaining("not valid CSV");
    }

    @Test
    void refusesMoreLinesThanAllowed() {
        String line = "anna,shop.de,Anna,Berg,u-2,MAIL_LIGHT,,,,,\n";

        assertThat(MailboxCsv.read(bytes(HEADER + line.repeat(3)), 3)).hasSize(3);
        assertThatThrownBy(() -> MailboxCsv.read(bytes(HEADER + line.repeat(4)), 3))
                .isInstanceOf(MailboxCsv.Unreadable.class).hasMessageContaining("more than 3 mailboxes");
    }

    @Test
    void writesFormulaLikeCellsNeutralisedAndReadsThemBackAsTheyWere() throws IOException {
        ImportMailbox risky = new ImportMailbox("anna", "shop.de", "=HYPERLINK(\"http://evil\")", "+49 Berg", "@u-1",
                "MAIL_LIGHT", List.of("-x@y.de", "z@y.de"), true, List.of("info@shop.de"), null, null);
        ImportMailbox quoted = new ImportMailbox("bob", "shop.de", "'Bob", "\tTab", "-1", "MAIL_LIGHT", List.of(), false,
                List.of(), null, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MailboxCsv.Writer writer = MailboxCsv.writer(out)) {
            writer.write(risky);
            writer.write(quoted);
        }
        String csv = out.toString(StandardCharsets.UTF_8);

        assertThat(csv).startsWith(HEADER);
        for (String cell : cells(csv)) {
            assertThat(cell).as("no cell starts like a formula").doesNotMatch("(?s)^[=+\\-@\\t\\r].*");
        }
        List<MailboxCsv.Line> read = MailboxCsv.read(out.toByteArray(), 10);
        assertThat(read).extracting(MailboxCsv.Line::mailbox).containsExactly(risky, quoted.withoutSecret());
    }

    /** The cells as a spreadsheet splits them (quotes removed). */
    private static List<String> cells(String csv) throws IOException {
        return com.fasterxml.jackson.dataformat.csv.CsvMapper.builder()
                .enable(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY).build()
                .readerForListOf(String.class).<List<String>>readValues(csv).readAll().stream()
                .flatMap(List::stream).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
