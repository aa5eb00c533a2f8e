package dev.mailops.dns.zone;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.mailops.dns.zone.rules.ZoneLimits;

/** The limits every zone keeps ({@code dns.zone.*}), enforced where a tenant adds a record. */
@ConfigMapping(prefix = "dns.zone")
public interface ZoneLimitSettings {

    /** Records per zone, the provider's included. */
    @WithDefault("200")
    int maxRecords();

    /** Bytes of TXT data per zone (the values, before the split into 255-byte character-strings). */
    @WithDefault("16384")
    int maxTxtBytes();

    default ZoneLimits limits() {
        return new ZoneLimits(maxRecords(), maxTxtBytes());
    }
}
