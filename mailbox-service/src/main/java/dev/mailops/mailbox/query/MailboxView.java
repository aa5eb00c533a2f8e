package dev.mailops.mailbox.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A live mailbox as the API shows it; kept by {@link Projector}. */
@Entity
@Table(name = "mailbox_view")
public class MailboxView {
    @Id
    @Column(name = "mailbox_id")
    public UUID mailboxId;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "address", nullable = false, length = 254, unique = true)
    public String address;

    @Column(name = "local_part", nullable = false, length = 64)
    public String localPart;

    @Column(name = "domain", nullable = false, length = 253)
    public String domain;

    @Column(name = "first_name", nullable = false, length = 100)
    public String firstName;

    @Column(name = "last_name", nullable = false, length = 100)
    public String lastName;

    @Column(name = "system_user_id", nullable = false, length = 64)
    public String systemUserId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "forward_to", nullable = false)
    public List<String> forwardTo = new ArrayList<>();

    @Column(name = "keep_copy", nullable = false)
    public boolean keepCopy;

    @Column(name = "rate", nullable = false, length = 64)
    public String rate;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "version", nullable = false)
    public int version;

    @OneToMany(mappedBy = "mailbox", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("address")
    public List<AliasView> aliases = new ArrayList<>();
}
