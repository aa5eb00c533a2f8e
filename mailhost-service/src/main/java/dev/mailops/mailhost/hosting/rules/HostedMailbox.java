package dev.mailops.mailhost.hosting.rules;

import java.util.List;
import java.util.UUID;

/**
 * A mailbox as the mail host keeps it: its home below the mail root ({@code domain/localPart}), its
 * quota in bytes, and where its mail is forwarded. {@code keepCopy} is only ever true with targets.
 */
public record HostedMailbox(UUID id, String tenantId, String address, String domain, String maildir, String rate,
        long quotaBytes, List<String> forwardTo, boolean keepCopy) {

    public HostedMailbox {
        forwardTo = List.copyOf(forwardTo);
    }
}
