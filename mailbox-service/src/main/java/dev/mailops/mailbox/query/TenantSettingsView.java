package dev.mailops.mailbox.query;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The tenant's booked basic fee plan; absent until the tenant first changes it from the default. */
@Entity
@Table(name = "tenant_settings")
public class TenantSettingsView {
    @Id
    @Column(name = "tenant_id", length = 64)
    public String tenantId;

    @Column(name = "basic_fee_plan", nullable = false, length = 64)
    public String basicFeePlan;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
