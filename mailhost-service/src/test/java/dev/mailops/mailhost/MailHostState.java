package dev.mailops.mailhost;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every table and view of the mail host's database, row by row, to compare a live state with a
 * rebuilt one. Left out: when an event was processed (processed_at), the removal worker's own
 * bookkeeping (attempts, next attempt, last error) and when the key writer wrote a file, which no event decides.
 */
final class MailHostState {

    static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("mail_domain", "select * from mail_domain");
        QUERIES.put("mailbox", "select * from mailbox");
        QUERIES.put("alias", "select * from alias");
        QUERIES.put("forwarding", "select * from forwarding");
        QUERIES.put("mailbox_credential", "select * from mailbox_credential");
        QUERIES.put("mail_removal", "select mailbox_id, address, maildir, requested_at, removed_at from mail_removal");
        QUERIES.put("processed_event", "select event_id, tenant_id, event_type from processed_event");
        QUERIES.put("dkim_private_key", "select * from dkim_private_key");
        QUERIES.put("dkim_selector", "select * from dkim_selector");
        QUERIES.put("dkim_key_file", "select key_id, path from dkim_key_file");
        QUERIES.put("dovecot_passdb", "select * from dovecot_passdb");
        QUERIES.put("dovecot_userdb", "select * from dovecot_userdb");
        QUERIES.put("postfix_domains", "select * from postfix_domains");
        QUERIES.put("postfix_mailboxes", "select * from postfix_mailboxes");
        QUERIES.put("postfix_aliases", "select * from postfix_aliases");
        QUERIES.put("postfix_sender_logins", "select * from postfix_sender_logins");
        QUERIES.put("opendkim_key_table", "select * from opendkim_key_table");
        QUERIES.put("opendkim_signing_table", "select * from opendkim_signing_table");
    }

    private MailHostState() {
    }

    /** The first column of a query's rows, as text, sorted. */
    static List<String> rows(Supplier<Connection> database, String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.get(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
            rows.sort(null);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** Each table's and view's rows as text, sorted. */
    static Map<String, List<String>> snapshot(Supplier<Connection> database) {
        Map<String, List<String>> state = new LinkedHashMap<>();
        try (Connection connection = database.get(); Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery("select r::text from (" + query.getValue() + ") r order by 1")) {
                    while (result.next()) {
                        rows.add(result.getString(1));
                    }
                }
                state.put(query.getKey(), rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return state;
    }
}
