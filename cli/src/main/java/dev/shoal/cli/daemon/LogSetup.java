package dev.shoal.cli.daemon;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The daemon's logging: reloads {@code logback.xml} with the format ({@code text}: time, level,
 * thread, logger, message; {@code json}: one JSON object per line) and level chosen on the command
 * line, and routes java.util.logging (used by gRPC inside Ratis) to SLF4J. Logging is per
 * process: only {@code shoal daemon} calls this, never a test or a daemon started in-process.
 */
public final class LogSetup {
    public enum Format { TEXT, JSON }

    private LogSetup() {}

    /** @throws IllegalArgumentException naming the accepted values */
    public static Format format(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> throw new IllegalArgumentException("must be text or json");
        };
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static String level(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return switch (l) {
            case "trace", "debug", "info", "warn", "error" -> l;
            case "warning" -> "warn";
            case "fatal" -> "error";
            default -> throw new IllegalArgumentException("must be one of debug, info, warn, error");
        };
    }

    public static void apply(Format format, String level) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        URL config = LogSetup.class.getClassLoader().getResource("logback.xml");
        if (config == null) {
            return;
        }
        context.reset();
        context.putProperty("shoal.log.format", format.name());
        context.putProperty("shoal.log.level", level);
        // libraries (Ratis, Netty, docker-java) are chatty at info: they follow only debug and trace
        context.putProperty("shoal.log.library.level", level.equals("debug") || level.equals("trace") ? level : "warn");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + config + ": " + e.getMessage(), e);
        }
    }
}
