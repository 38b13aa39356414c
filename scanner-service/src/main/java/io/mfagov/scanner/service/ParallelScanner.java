package io.mfagov.scanner.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Scans many tenants at once on a bounded pool: one thread per tenant in flight (each tenant's reads are sequential,
 * its retry waits hold only its own thread), at most {@code maxConcurrentTenants} tenants at a time. A slow or
 * throttled tenant never holds the others back beyond its own thread.
 */
public final class ParallelScanner implements AutoCloseable {

    private final TenantScanner scanner;
    private final ExecutorService pool;

    public ParallelScanner(TenantScanner scanner, int maxConcurrentTenants) {
        this.scanner = scanner;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(maxConcurrentTenants, maxConcurrentTenants, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "tenant-scan-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ((ThreadPoolExecutor) pool).allowCoreThreadTimeOut(true);
    }

    public CompletableFuture<TenantScan> submit(String tenantId) {
        return CompletableFuture.supplyAsync(() -> scanner.scan(tenantId), pool);
    }

    /** Scans every tenant; {@code onDone} is called as each finishes (from pool threads). Results in input order. */
    public List<TenantScan> scanAll(List<String> tenantIds, Consumer<TenantScan> onDone) {
        return scanAll(tenantIds, null, onDone);
    }

    /** As {@link #scanAll(List, Consumer)}, reading {@code signInDays} days of sign-ins (null: the configured days). */
    public List<TenantScan> scanAll(List<String> tenantIds, Integer signInDays, Consumer<TenantScan> onDone) {
        List<CompletableFuture<TenantScan>> futures = new ArrayList<>();
        for (String t : tenantIds) {
            futures.add(CompletableFuture.supplyAsync(() -> scanner.scan(t, signInDays), pool).whenComplete((s, e) -> {
                if (s != null && onDone != null) {
                    onDone.accept(s);
                }
            }));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
