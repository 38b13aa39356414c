package io.mfagov.notifier.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
public final class Backoff {

    private Backoff() {
    }

    /** Delay before attempt {@code failedAttempts + 1}, after {@code failedAttempts} failures (1 or more). */
    public static Duration delay(int failedAttempts, Duration initial, Duration max) {
        long step = initial.toMillis();
        for (int i = 1; i < failedAttempts && step < max.toMillis(); i++) {
            step *= 2;
        }
        step = Math.min(step, max.toMillis());
        long half = step / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }
}
