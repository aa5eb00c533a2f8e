package dev.mailops.consumer;

/**
 * A record whose processing failed with a non-transient error on every one of its attempts: the
 * reason it is dead-lettered with. Its message names the attempts and the error's class and the first
 * line of its message, cut short; the error itself is not kept as the cause, so the dead letter's
 * headers carry no more of it (a database error's detail may quote the values of a row).
 */
public class RecordFailedException extends RuntimeException {

    static final int MAX_MESSAGE = 300;

    private final int attempts;
    private final String errorClass;

    public RecordFailedException(int attempts, Throwable error) {
        super("failed " + attempts + " times, last with " + describe(error), null, false, false);
        this.attempts = attempts;
        this.errorClass = rootOf(error).getClass().getName();
    }

    public int attempts() {
        return attempts;
    }

    /** The class of the innermost cause, the error the projection met. */
    public String errorClass() {
        return errorClass;
    }

    /** The innermost cause's class and the first line of its message, at most {@value #MAX_MESSAGE} characters. */
    static String describe(Throwable error) {
        Throwable root = rootOf(error);
        String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("").strip();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "…";
        }
        return root.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
    }

    private static Throwable rootOf(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
