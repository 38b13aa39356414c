package io.mfagov.support.messaging;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential backoff: {@code initial}, then twice as long each time, never more than {@code max}.
 * Pure arithmetic, so its timing is unit-tested without waiting.
 */
public record RetryDelays(Duration initial, Duration max) {

    public RetryDelays {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max " + max + " is shorter than initial " + initial);
        }
    }

    /** The wait before retry number {@code retry} (1 = the first retry). */
    public Duration delay(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1: " + retry);
        }
        Duration delay = initial;
        for (int i = 1; i < retry; i++) {
            delay = delay.multipliedBy(2);
            if (delay.compareTo(max) >= 0) {
                return max;
            }
        }
        return delay;
    }
}
