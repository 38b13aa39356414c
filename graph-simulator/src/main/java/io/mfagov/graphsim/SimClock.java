package io.mfagov.graphsim;

import java.time.Instant;

/**
 * Time source of the simulator: limits (token buckets), token lifetimes and timestamps use it.
 * Tests pass a {@link ManualClock} to make limit behaviour deterministic.
 */
public interface SimClock {

    /** Monotonic nanoseconds (only differences matter). */
    long nanoTime();

    /** Wall-clock time. */
    Instant now();

    static SimClock system() {
        return SystemClock.INSTANCE;
    }

    final class SystemClock implements SimClock {
        static final SystemClock INSTANCE = new SystemClock();

        private SystemClock() {
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }
    }
}
