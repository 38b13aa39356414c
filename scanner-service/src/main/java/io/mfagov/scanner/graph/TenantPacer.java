package io.mfagov.scanner.graph;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One of Graph's per-tenant limits, shared by everything this process sends to the tenant (its scans and its
 * remediations), so that back-to-back or concurrent work does not each believe it has the whole budget. A request
 * waits for its slot rather than be answered 429: a throttled request counts against the tenant, and its retry counts
 * again. Two limits are paced this way:
 * <ul>
 * <li>{@link #reports}: the "identity and access reports" limit (sign-in logs, the registration report,
 * authentication resources), {@code limit} requests per 10 s per app per tenant;</li>
 * <li>{@link #conditionalAccess}: CA policies and named locations, about one request per second per tenant for reads
 * and writes together, shared with every other app and answered 429 without Retry-After.</li>
 * </ul>
 */
public final class TenantPacer {

    static final Duration REPORTS_WINDOW = Duration.ofSeconds(10);

    private final int limit;
    private final long windowNanos;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();

    /** @param limit requests per {@code window}; 0 (or a zero window) = no pacing */
    public TenantPacer(int limit, Duration window) {
        this.limit = window.isZero() || window.isNegative() ? 0 : limit;
        this.windowNanos = window.toNanos();
    }

    /** Graph's identity-and-access-reports limit: {@code limit} requests per 10 s; 0 = no pacing. */
    public static TenantPacer reports(int limit) {
        return new TenantPacer(limit, REPORTS_WINDOW);
    }

    /** CA policies and named locations: one request per {@code interval} (reads and writes together). */
    public static TenantPacer conditionalAccess(Duration interval) {
        return new TenantPacer(1, interval);
    }

    /**
     * Waits until {@code n} more requests fit the window, and takes their slots, all stamped now: they go out together
     * (a {@code $batch} reaches Graph as its inner requests at once). {@code n} above the limit is taken as the limit.
     */
    public void acquire(int n) throws InterruptedException {
        if (limit <= 0 || n <= 0) {
            return;
        }
        int k = Math.min(n, limit);
        while (true) {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                while (!sent.isEmpty() && now - sent.peekFirst() >= windowNanos) {
                    sent.pollFirst();
                }
                if (sent.size() + k <= limit) {
                    for (int i = 0; i < k; i++) {
                        sent.addLast(now);
                    }
                    return;
                }
                // the oldest slots that must expire for k to fit
                long needed = sent.stream().skip(sent.size() + k - limit - 1).findFirst().orElse(now);
                wait = needed + windowNanos - now;
            }
            Thread.sleep(Math.max(1, wait / 1_000_000));
        }
    }
}
