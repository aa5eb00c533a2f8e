package dev.mailops.mailbox.messaging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Every log record of the service while it is open, formatted as a log line (with its stack trace),
 * with the given categories turned up to DEBUG, so a test can look for what must never be logged.
 */
public final class CapturedLogs extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Map<Logger, Level> previousLevels = new HashMap<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    private CapturedLogs() {
    }

    public static CapturedLogs start(String... debugCategories) {
        CapturedLogs logs = new CapturedLogs();
        for (String category : debugCategories) {
            Logger logger = Logger.getLogger(category);
            logs.previousLevels.put(logger, logger.getLevel());
            logger.setLevel(Level.FINE);
        }
        logs.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(logs);
        return logs;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder line = new StringBuilder(formatter.formatMessage(record));
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                line.append(' ').append(parameter);
            }
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
        previousLevels.forEach(Logger::setLevel);
    }
}
