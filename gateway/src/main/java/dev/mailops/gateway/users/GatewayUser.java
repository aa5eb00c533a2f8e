package dev.mailops.gateway.users;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.security.jpa.Password;
import io.quarkus.security.jpa.PasswordType;
import io.quarkus.security.jpa.Roles;
import io.quarkus.security.jpa.UserDefinition;
import io.quarkus.security.jpa.Username;

/** A system user of a tenant, or an operator of the platform; Quarkus Security JPA checks its bcrypt password at login. */
@Entity
@Table(name = "gateway_user")
@UserDefinition
public class GatewayUser {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @Username
    @Column(name = "username", nullable = false, unique = true, length = 100)
    public String username;

    @Password(PasswordType.MCF)
    @Column(name = "password", nullable = false, length = 100)
    public String password;

    /** Comma-separated: {@code admin}, {@code user} (a tenant's users), or {@code operator} (the platform's). */
    @Roles
    @Column(name = "roles", nullable = false, length = 100)
    public String roles;

    /** The user's tenant; none for an operator. */
    @Column(name = "tenant_id", length = 64)
    public String tenantId;

    @Column(name = "enabled", nullable = false)
    public boolean enabled = true;

    @Column(name = "password_changed_at")
    public Instant passwordChangedAt;

    @Column(name = "display_name", nullable = false, length = 200)
    public String displayName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Override
    public String toString() {
        return "GatewayUser[" + username + "@" + tenantId + "]";
    }
}
