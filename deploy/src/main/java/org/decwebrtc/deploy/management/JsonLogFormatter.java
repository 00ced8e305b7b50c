package org.decwebrtc.deploy.management;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code -logFormat json}: one JSON object per line ({@code time, level, logger, thread, message}, and
 * {@code error} with the stack trace), for log collectors that parse rather than grep. Written with Jackson, so
 * quotes, newlines and control characters in messages are escaped and a line is always one record.
 */
public final class JsonLogFormatter extends Formatter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(record.getMillis()).toString());
            g.writeStringField("level", record.getLevel().getName());
            g.writeStringField("logger", record.getLoggerName());
            g.writeNumberField("thread", record.getLongThreadID());
            g.writeStringField("message", formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                g.writeStringField("error", trace.toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }

    /** Makes every handler of the root logger write JSON (adds a console handler if there is none). */
    public static void install() {
        Logger root = Logger.getLogger("");
        Handler[] handlers = root.getHandlers();
        if (handlers.length == 0) {
            root.addHandler(new ConsoleHandler());
            handlers = root.getHandlers();
        }
        JsonLogFormatter formatter = new JsonLogFormatter();
        for (Handler h : handlers) {
            h.setFormatter(formatter);
        }
    }
}
