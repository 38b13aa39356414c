package io.mfagov.support.messaging;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tells failures that will pass (the database is down or restarting, a deadlock, a serialization
 * conflict, no connection to be had) from failures of the record itself. A consumer retries the
 * former with backoff and never dead-letters them: the record is good, the moment was bad. Only
 * the latter belong on a dead-letter topic.
 */
public final class TransientFailures {

    /** SQLState classes and codes PostgreSQL uses for conditions that pass. */
    private static final Set<String> TRANSIENT_STATES = Set.of(
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "55P03", // lock_not_available
            "53300", // too_many_connections
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03"  // cannot_connect_now
    );

    private TransientFailures() {
    }

    /** Whether anything in the cause chain is a failure that passes by itself. */
    public static boolean isTransient(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state))) {
                    return true;
                }
                String message = sql.getMessage();
                if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout")) {
                    return true; // the connection pool could not hand out a connection in time
                }
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
