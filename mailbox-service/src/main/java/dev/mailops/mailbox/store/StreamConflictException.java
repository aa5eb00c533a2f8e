package dev.mailops.mailbox.store;

/** Another transaction appended to the stream since it was loaded; the command may be retried. */
public class StreamConflictException extends RuntimeException {
    public StreamConflictException(StreamId stream, int expectedVersion) {
        super("Stream " + stream + " moved past version " + expectedVersion, null, false, false);
    }
}
