package dev.mailops.mailhost.hosting.rules;

/** An event names a rate the catalog does not know: the mail host cannot tell the mailbox's quota. */
public class UnknownRateException extends RuntimeException {
    public UnknownRateException(String rate) {
        super("unknown rate " + rate + ": not in contract/catalog.json");
    }
}
