package dev.mailops.dns.zone.rules;

/** Who set a record: the mail provider (provisioned, kept) or the tenant (through the domain assistant). */
public enum ManagedBy {
    PROVIDER, TENANT
}
