package io.mfagov.graphsim;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when told to: deterministic limit tests without sleeping. */
public final class ManualClock implements SimClock {

    private final Instant start;
    private final AtomicLong nanos = new AtomicLong();

    public ManualClock() {
        this(Instant.parse("2026-01-15T09:00:00Z"));
    }

    public ManualClock(Instant start) {
        this.start = start;
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    public void advanceMillis(long ms) {
        advance(Duration.ofMillis(ms));
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return start.plusNanos(nanos.get());
    }
}
