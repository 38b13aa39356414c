package io.mfagov.scanner.graph;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Graph's "identity and access reports" limit for one tenant (sign-in logs, the registration report, authentication
 * resources): at most {@code limit} requests per 10 s per app per tenant. Shared by every scan of the tenant in this
 * process, so back-to-back scans do not each believe they have the whole budget. A request waits for its slot rather
 * than be answered 429: a throttled request counts against the tenant, and its retry counts again.
 */
public final class ReportsPacer {

    static final Duration WINDOW = Duration.ofSeconds(10);

    private final int limit;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();

    /** @param limit requests per 10 s; 0 = no pacing */
    public ReportsPacer(int limit) {
        this.limit = limit;
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
                while (!sent.isEmpty() && now - sent.peekFirst() >= WINDOW.toNanos()) {
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
                wait = needed + WINDOW.toNanos() - now;
            }
            Thread.sleep(Math.max(1, wait / 1_000_000));
        }
    }
}
