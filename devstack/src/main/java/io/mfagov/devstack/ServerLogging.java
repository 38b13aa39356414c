package io.mfagov.devstack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.slf4j.LoggerFactory;

/**
 * Turns the embedded servers' own logging down to WARN.
 *
 * <p>Kafka and zonky log through SLF4J. The backend in Quarkus tests (and in the launcher) is
 * slf4j-jboss-logmanager, i.e. JBoss LogManager, whose loggers are {@link java.util.logging.Logger}s.
 * With slf4j-jdk14 the backend is plain JUL. Other backends are left alone: configure them yourself.
 * Levels set here are defaults: a Quarkus application configured with
 * {@code quarkus.log.category."kafka".level} overrides them when it starts.
 */
final class ServerLogging {

    /**
     * Server-side categories, plus two INFO-only categories the clients share (config dumps, metrics lifecycle).
     * The clients' own loggers (org.apache.kafka.clients) are left as they are.
     */
    static final List<String> KAFKA_SERVER_CATEGORIES = List.of(
            "kafka",
            "state.change.logger",
            "org.apache.kafka.server",
            "org.apache.kafka.controller",
            "org.apache.kafka.raft",
            "org.apache.kafka.metadata",
            "org.apache.kafka.image",
            "org.apache.kafka.snapshot",
            "org.apache.kafka.storage",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.queue",
            "org.apache.kafka.network",
            "org.apache.kafka.security",
            "org.apache.kafka.common.utils.AppInfoParser",
            "org.apache.kafka.common.security",
            "org.apache.kafka.common.network.Selector",
            // Shared with the clients: the "XxxConfig values:" dumps and metrics lifecycle lines
            "org.apache.kafka.common.config.AbstractConfig",
            "org.apache.kafka.common.metrics.Metrics");

    static final List<String> POSTGRES_CATEGORIES = List.of("io.zonky.test.db.postgres");

    /** Benign WARNs every start or stop of a one-node cluster logs; dropped by a filter on their logger. */
    static final Map<String, String> KAFKA_KNOWN_NOISE = Map.of(
            "org.apache.kafka.controller.QuorumController", "Performing controller activation",
            "org.apache.kafka.clients.NetworkClient", "Attempting to close NetworkClient that has already been closed");

    /** Strong references: JUL loggers are weakly held and would forget their level when collected. */
    private static final Map<String, Logger> PINNED = new HashMap<>();

    private ServerLogging() {
    }

    static synchronized void quiet(List<String> categories) {
        String backend = LoggerFactory.getILoggerFactory().getClass().getName();
        for (String category : categories) {
            Logger logger = julLogger(backend, category);
            if (logger == null) {
                return;
            }
            if (PINNED.putIfAbsent(category, logger) == null && logger.getLevel() == null) {
                logger.setLevel(Level.WARNING); // an explicitly configured level wins
            }
        }
    }

    static synchronized void dropKnownNoise(Map<String, String> noise) {
        String backend = LoggerFactory.getILoggerFactory().getClass().getName();
        noise.forEach((category, text) -> {
            Logger logger = julLogger(backend, category);
            if (logger != null && logger.getFilter() == null) {
                logger.setFilter(record -> record.getMessage() == null || !record.getMessage().contains(text));
                PINNED.put(category, logger);
            }
        });
    }

    private static Logger julLogger(String backend, String category) {
        if (backend.startsWith("org.slf4j.jul.")) {
            return Logger.getLogger(category);
        }
        if (backend.equals("org.slf4j.impl.Slf4jLoggerFactory")) {
            // slf4j-jboss-logmanager: ask its LogContext directly, whichever JUL LogManager is installed.
            try {
                Class<?> contextType = Class.forName("org.jboss.logmanager.LogContext");
                Object context = contextType.getMethod("getLogContext").invoke(null);
                return (Logger) contextType.getMethod("getLogger", String.class).invoke(context, category);
            } catch (ReflectiveOperationException | ClassCastException e) {
                return null;
            }
        }
        return null;
    }
}
