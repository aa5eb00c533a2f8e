package dev.mailops.mailbox.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import dev.mailops.kit.jdbc.Database;

/** A domain's current DKIM key under one selector: its public half and where it is in its lifecycle. */
public class DkimKeyView {

    /** generated (not yet served by DNS), published (standby), active (signs), retiring (replaced, still published). */
    public enum State {
        GENERATED, PUBLISHED, ACTIVE, RETIRING
    }

    public UUID keyId;
    public String domain;
    public String selector;
    public String algorithm;
    public String publicKey;
    public String record;
    public State state;
    public Instant generatedAt;
    public Instant publishedAt;
    public Instant activatedAt;
    public Instant retiresAt;

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "key_id, domain, selector, algorithm, public_key, record, state, generated_at,"
            + " published_at, activated_at, retires_at";

    static DkimKeyView read(ResultSet row) throws SQLException {
        DkimKeyView key = new DkimKeyView();
        key.keyId = row.getObject("key_id", UUID.class);
        key.domain = row.getString("domain");
        key.selector = row.getString("selector");
        key.algorithm = row.getString("algorithm");
        key.publicKey = row.getString("public_key");
        key.record = row.getString("record");
        key.state = State.valueOf(row.getString("state"));
        key.generatedAt = Database.instant(row, "generated_at");
        key.publishedAt = Database.instant(row, "published_at");
        key.activatedAt = Database.instant(row, "activated_at");
        key.retiresAt = Database.instant(row, "retires_at");
        return key;
    }
}
