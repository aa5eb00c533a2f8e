package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.mailops.billing.contract.rules.ContractHead;

/**
 * A tenant's contract head as stored: the table row of {@link ContractHead}, which the rules decide on.
 */
@Entity
@Table(name = "contract")
public class Contract {
    @Id
    @Column(name = "tenant_id", length = 64)
    public String tenantId;

    @Column(name = "revision", nullable = false)
    public int revision;

    @Column(name = "basic_fee_plan", nullable = false, length = 64)
    public String basicFeePlan;

    @Column(name = "active_mailboxes", nullable = false)
    public int activeMailboxes;

    /** The sum of the open lines' monthly net prices. */
    @Column(name = "mailboxes_monthly_net", nullable = false, precision = 12, scale = 2)
    public BigDecimal mailboxesMonthlyNet = BigDecimal.ZERO.setScale(2);

    /** The monthly net price of the open basic fee period. */
    @Column(name = "basic_fee_monthly_net", nullable = false, precision = 12, scale = 2)
    public BigDecimal basicFeeMonthlyNet = BigDecimal.ZERO.setScale(2);

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
