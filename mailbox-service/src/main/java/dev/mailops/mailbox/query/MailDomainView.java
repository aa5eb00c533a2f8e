package dev.mailops.mailbox.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.mailops.kit.jdbc.Database;

/** A registered domain, whoever owns it: also the cross-tenant index of claimed names. */
public class MailDomainView {
    public String domain;
    public String tenantId;
    public Instant addedAt;
    /** The token of the proof record; null for a domain that needs none. */
    public String verificationToken;
    /** dns-txt or none; null for a domain registered before proof was required. */
    public String verificationMethod;
    /** Null while the domain is pending. */
    public Instant verifiedAt;
    /** When the checker next looks for the proof of a pending domain. */
    public Instant nextVerificationAt;

    /** The columns {@link #read} reads. */
    static final String COLUMNS = "domain, tenant_id, added_at, verification_token, verification_method, verified_at,"
            + " next_verification_at";

    static MailDomainView read(ResultSet row) throws SQLException {
        MailDomainView view = new MailDomainView();
        view.domain = row.getString("domain");
        view.tenantId = row.getString("tenant_id");
        view.addedAt = Database.instant(row, "added_at");
        view.verificationToken = row.getString("verification_token");
        view.verificationMethod = row.getString("verification_method");
        view.verifiedAt = Database.instant(row, "verified_at");
        view.nextVerificationAt = Database.instant(row, "next_verification_at");
        return view;
    }
}
