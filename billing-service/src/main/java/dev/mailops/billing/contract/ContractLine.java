package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.mailops.billing.contract.rules.MailboxLine;

/** One mailbox at one rate on the contract as stored: the table row of {@link MailboxLine}. */
@Entity
@Table(name = "contract_line")
public class ContractLine {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @Column(name = "mailbox_id", nullable = false)
    public UUID mailboxId;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "address", nullable = false, length = 254)
    public String address;

    @Column(name = "rate", nullable = false, length = 64)
    public String rate;

    @Column(name = "monthly_net_price", nullable = false, precision = 12, scale = 2)
    public BigDecimal monthlyNetPrice;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(name = "ends_at")
    public Instant endsAt;

    /** Ended by a rate change: the end day is billed on the next line. */
    @Column(name = "replaced", nullable = false)
    public boolean replaced;
}
