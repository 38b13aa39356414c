package io.mfagov.graphsim.internal;

import io.mfagov.graphsim.LimitsConfig;
import io.mfagov.graphsim.SimClock;
import io.mfagov.graphsim.model.Tenant;

import java.util.concurrent.ConcurrentHashMap;

/** Per-tenant Graph-like limits: CA (1 req/s, no Retry-After), directory RU token bucket, reports window. */
public final class Limits {

    public enum Bucket { NONE, CA, DIRECTORY, REPORTS }

    /** Outcome of a limit check: allowed, or throttled with the wait until a retry can succeed. */
    public record Decision(boolean allowed, long waitNanos) {
        static final Decision OK = new Decision(true, 0);

        public long retryAfterSeconds() {
            return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        }
    }

    /** Classic token bucket on the simulator clock. */
    static final class TokenBucket {
        private final double capacity;
        private final double refillPerNano;
        private double tokens;
        private long last;

        TokenBucket(double capacity, double refillPerSecond, long now) {
            this.capacity = capacity;
            this.refillPerNano = refillPerSecond / 1e9;
            this.tokens = capacity;
            this.last = now;
        }

        synchronized Decision take(double cost, long now) {
            if (now > last) {
                tokens = Math.min(capacity, tokens + (now - last) * refillPerNano);
                last = now;
            }
            double need = Math.min(cost, capacity);
            if (tokens >= need) {
                tokens -= need;
                return Decision.OK;
            }
            return new Decision(false, (long) Math.ceil((need - tokens) / refillPerNano));
        }
    }

    private static final class TenantState {
        final TokenBucket ca;
        final TokenBucket directory;
        final TokenBucket reports;

        TenantState(LimitsConfig c, Tenant t, long now) {
            ca = new TokenBucket(Math.max(1, c.caBurst()), c.caRequestsPerSecond(), now);
            int ru = c.directoryRuFor(t.userCount());
            directory = new TokenBucket(ru, ru / 10.0, now);
            reports = new TokenBucket(Math.max(1, c.reportsRequests()),
                    c.reportsRequests() / (double) Math.max(1, c.reportsWindowSeconds()), now);
        }
    }

    private final SimClock clock;
    private volatile LimitsConfig config;
    private final ConcurrentHashMap<String, TenantState> states = new ConcurrentHashMap<>();

    public Limits(LimitsConfig config, SimClock clock) {
        this.config = config;
        this.clock = clock;
    }

    public LimitsConfig config() {
        return config;
    }

    /** Replaces the configuration; bucket state starts afresh. */
    public void configure(LimitsConfig c) {
        this.config = c;
        states.clear();
    }

    /** Forgets all bucket state (every tenant starts with full buckets). */
    public void reset() {
        states.clear();
    }

    public Decision check(Tenant t, Bucket bucket, int cost) {
        LimitsConfig c = config;
        if (!c.enabled() || bucket == Bucket.NONE) {
            return Decision.OK;
        }
        long now = clock.nanoTime();
        TenantState s = states.computeIfAbsent(t.id(), k -> new TenantState(c, t, now));
        return switch (bucket) {
            case CA -> s.ca.take(1, now);
            case DIRECTORY -> s.directory.take(cost, now);
            case REPORTS -> s.reports.take(1, now);
            default -> Decision.OK;
        };
    }
}
