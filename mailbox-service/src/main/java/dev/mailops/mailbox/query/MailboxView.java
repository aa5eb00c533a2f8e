package dev.mailops.mailbox.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.kit.jdbc.Database;

/** A live mailbox as the API shows it; kept by {@link Projector}. */
public class MailboxView {
    public UUID mailboxId;
    public String tenantId;
    public String address;
    public String localPart;
    public String domain;
    public String firstName;
    public String lastName;
    public String systemUserId;
    public List<String> forwardTo = new ArrayList<>();
    public boolean keepCopy;
    public String rate;
    public Instant createdAt;
    public int version;
    /** By address; read with the mailbox where a query says so. */
    public List<AliasView> aliases = new ArrayList<>();

    /** The columns {@link #read} reads, {@code forward_to} as the text of its JSON array. */
    static final String COLUMNS = "mailbox_id, tenant_id, address, local_part, domain, first_name, last_name,"
            + " system_user_id, cast(forward_to as text) as forward_to, keep_copy, rate, created_at, version";

    static MailboxView read(ResultSet row, ObjectMapper json) throws SQLException {
        MailboxView mailbox = new MailboxView();
        mailbox.mailboxId = row.getObject("mailbox_id", UUID.class);
        mailbox.tenantId = row.getString("tenant_id");
        mailbox.address = row.getString("address");
        mailbox.localPart = row.getString("local_part");
        mailbox.domain = row.getString("domain");
        mailbox.firstName = row.getString("first_name");
        mailbox.lastName = row.getString("last_name");
        mailbox.systemUserId = row.getString("system_user_id");
        mailbox.forwardTo = addresses(json, row.getString("forward_to"));
        mailbox.keepCopy = row.getBoolean("keep_copy");
        mailbox.rate = row.getString("rate");
        mailbox.createdAt = Database.instant(row, "created_at");
        mailbox.version = row.getInt("version");
        return mailbox;
    }

    private static final TypeReference<List<String>> ADDRESSES = new TypeReference<>() {
    };

    private static List<String> addresses(ObjectMapper json, String array) {
        try {
            return new ArrayList<>(json.readValue(array, ADDRESSES));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("forward_to is not a JSON array of addresses", e);
        }
    }
}
