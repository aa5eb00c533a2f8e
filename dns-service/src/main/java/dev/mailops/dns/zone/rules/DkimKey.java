package dev.mailops.dns.zone.rules;

import java.util.UUID;

/** One of a domain's own DKIM keys as it is published: the selector, the key's id and the TXT record's value. */
public record DkimKey(String selector, UUID keyId, String record) {
}
