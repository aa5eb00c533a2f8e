package dev.mailops.billing.contract;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Where invoices go; its country decides the VAT rate, its email gets the contract notices. */
@Entity
@Table(name = "billing_address")
public class BillingAddress {
    @Id
    @Column(name = "tenant_id", length = 64)
    public String tenantId;

    @Column(name = "company", nullable = false, length = 200)
    public String company;

    @Column(name = "street", nullable = false, length = 200)
    public String street;

    @Column(name = "postal_code", nullable = false, length = 20)
    public String postalCode;

    @Column(name = "city", nullable = false, length = 100)
    public String city;

    @Column(name = "country", nullable = false, length = 2)
    public String country;

    @Column(name = "email", nullable = false, length = 254)
    public String email;

    @Column(name = "vat_id", length = 20)
    public String vatId;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
