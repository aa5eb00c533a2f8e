package dev.mailops.billing.contract;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tenant's contract head: the booked basic fee plan and the revision, raised by every change. */
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

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
