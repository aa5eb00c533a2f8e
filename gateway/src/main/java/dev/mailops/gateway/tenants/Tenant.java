package dev.mailops.gateway.tenants;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A customer of the platform, onboarded by an operator; a disabled tenant's users cannot log in. */
@Entity
@Table(name = "gateway_tenant")
public class Tenant {
    @Id
    @Column(name = "id", length = 64)
    public String id;

    @Column(name = "display_name", nullable = false, length = 200)
    public String displayName;

    @Column(name = "enabled", nullable = false)
    public boolean enabled = true;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "disabled_at")
    public Instant disabledAt;

    @Override
    public String toString() {
        return "Tenant[" + id + (enabled ? "" : ", disabled") + "]";
    }
}
