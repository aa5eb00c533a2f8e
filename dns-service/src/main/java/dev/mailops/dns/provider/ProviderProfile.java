package dev.mailops.dns.provider;

import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;

/**
 * The mail provider's DNS values (mailbox.org's SPF include and DKIM keys by default).
 * Configuration, not code: another provider is another set of {@code dns.provider.*} values.
 */
@ConfigMapping(prefix = "dns.provider")
public interface ProviderProfile extends MailRecordSettings {

    /** MX records as "preference host.", e.g. {@code 10 mxext1.mailbox.org.}. */
    List<String> mx();

    /** The domain the SPF record includes, e.g. {@code mailbox.org}. */
    String spfInclude();

    /** DKIM selectors and their TXT values: {@code mbo0001} and the backup {@code mbo0002}. */
    Map<String, String> dkim();

    /** The provider's mail server host that {@code mail.<domain>} points to (CNAME). */
    String mailHost();
}
