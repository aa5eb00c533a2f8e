package dev.mailops.dns.zone.rules;

/** A well-formed record that the zone's current records do not allow; nothing is changed. */
public class RecordConflict extends RuntimeException {

    /** The rule the zone's records enforce. */
    public enum Rule {
        /** A name with a CNAME holds no other record. */
        CNAME_CONFLICT("CNAME conflicts with other records"),
        /** A domain has exactly one SPF record. */
        SPF_EXISTS("The domain has an SPF record"),
        /** The same name, type and value once. */
        RECORD_EXISTS("Record exists"),
        /** A zone holds at most {@link ZoneLimits#maxRecords()} records. */
        ZONE_RECORD_LIMIT("Zone record limit reached"),
        /** The provider's records stay. */
        PROVIDER_RECORD("Provider record"),
        /** Below the apex, a name and type the provider serves (DMARC, a DKIM selector) are its own. */
        PROVIDER_NAME("Name and type of a provider record");

        private final String title;

        Rule(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    private final Rule rule;

    public RecordConflict(Rule rule, String message) {
        super(message, null, false, false);
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }
}
