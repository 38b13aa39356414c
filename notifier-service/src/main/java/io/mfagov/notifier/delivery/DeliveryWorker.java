package io.mfagov.notifier.delivery;

import io.mfagov.notifier.render.MessageFactory;
import io.mfagov.notifier.render.OutgoingMessage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mfagov.notifier.config.NotifierConfig;
import io.mfagov.notifier.repository.DeliveryMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends due deliveries. Every poll claims work per destination up to that destination's free slots
 * ({@code per-destination-concurrency} requests in flight), so a slow or dead destination only ever
 * occupies its own slots while the others go on. Requests are non-blocking; DNS checks and outcome
 * recording run on a small pool of their own.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final DeliveryStore store;
    private final HttpSender sender;
    private final MessageFactory messages;
    private final NotifierConfig.Delivery config;
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger totalInFlight = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private static final int RECORD_BATCH = 500;
    /** Finished requests waiting to be recorded, and whether a recorder is running. */
    private final Queue<DeliveryStore.Attempt> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean recording = new AtomicBoolean();
    /** A poll is queued on the poller (wake-ups coalesce into it). */
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final ExecutorService executor;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "notifier-delivery-poller");
        t.setDaemon(true);
        return t;
    });
    private final Timer raisedToDelivered;
    private final Counter delivered;
    private final Counter failed;

    public DeliveryWorker(DeliveryStore store, HttpSender sender, MessageFactory messages, NotifierConfig config,
            MeterRegistry registry) {
        this.store = store;
        this.sender = sender;
        this.messages = messages;
        this.config = config.delivery();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "notifier-delivery");
                    t.setDaemon(true);
                    return t;
                });
        this.raisedToDelivered = Timer.builder("mfagov.notifier.raised.to.delivered")
                .description("From AlertRaised.raisedAt to a successful delivery")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        this.delivered = Counter.builder("mfagov.notifier.deliveries").tag("outcome", "delivered").register(registry);
        this.failed = Counter.builder("mfagov.notifier.deliveries").tag("outcome", "failed").register(registry);
    }

    /**
     * Polls on a timer of its own (Quarkus' scheduler cannot go below one second, delivery latency should),
     * and at once when a request completes or new deliveries are committed ({@link #wakeUp()}): a busy
     * destination's freed slot is refilled without waiting for the next tick.
     */
    void onStart(@Observes StartupEvent event) {
        long interval = Math.max(10, config.pollInterval().toMillis());
        poller.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * Claims again now rather than at the next tick: a slot was freed or new deliveries were committed.
     * Wake-ups coalesce: however many arrive while a poll is queued or running, one more poll follows.
     */
    public void wakeUp() {
        if (running.get() && wakeQueued.compareAndSet(false, true)) {
            try {
                poller.execute(this::poll);
            } catch (RejectedExecutionException e) {
                wakeQueued.set(false); // shutting down
            }
        }
    }

    void poll() {
        wakeQueued.set(false);
        if (!running.get()) {
            return;
        }
        try {
            List<DeliveryJob> jobs;
            do {
                jobs = store.claim(Instant.now(), this::freeSlots);
                jobs.forEach(this::dispatch);
            } while (!jobs.isEmpty() && running.get());
        } catch (RuntimeException e) {
            LOG.warnf("delivery poll failed: %s", e.toString());
        }
    }

    private int freeSlots(UUID destinationId) {
        return config.perDestinationConcurrency() - slots(destinationId).get();
    }

    private AtomicInteger slots(UUID destinationId) {
        return inFlight.computeIfAbsent(destinationId, id -> new AtomicInteger());
    }

    private void dispatch(DeliveryJob job) {
        slots(job.destinationId()).incrementAndGet();
        totalInFlight.incrementAndGet();
        executor.execute(() -> {
            OutgoingMessage message;
            try {
                message = job.mode() == DeliveryMode.DIGEST
                        ? messages.digest(job.tenantId(), job.items(), "digest-" + job.items().get(0).deliveryId())
                        : messages.immediate(job.type(), job.secret(), job.items().get(0));
            } catch (RuntimeException e) {
                finish(job, SendOutcome.permanent(null, "cannot build the message: " + e.getMessage()));
                return;
            }
            sender.post(job.url(), message, job.sendBy()).whenComplete((outcome, error) -> executor.execute(() -> finish(job,
                    error != null ? SendOutcome.retryable(null, null, error.toString()) : outcome)));
        });
    }

    private void finish(DeliveryJob job, SendOutcome outcome) {
        finished.add(new DeliveryStore.Attempt(job, outcome, Instant.now()));
        if (recording.compareAndSet(false, true)) {
            executor.execute(this::recordFinished);
        }
    }

    /**
     * Records finished requests, as many as are waiting in one transaction (group commit): at hundreds of
     * requests a second one transaction each would cost more than the requests. Slots are freed once recorded.
     */
    private void recordFinished() {
        try {
            List<DeliveryStore.Attempt> batch = new ArrayList<>();
            for (DeliveryStore.Attempt a; batch.size() < RECORD_BATCH && (a = finished.poll()) != null; ) {
                batch.add(a);
            }
            if (!batch.isEmpty()) {
                record(batch);
            }
        } finally {
            recording.set(false);
            if (!finished.isEmpty() && recording.compareAndSet(false, true)) {
                executor.execute(this::recordFinished);
            }
        }
    }

    private void record(List<DeliveryStore.Attempt> batch) {
        try {
            store.recordAll(batch);
            batch.forEach(this::count);
        } catch (RuntimeException batchFailure) {
            for (DeliveryStore.Attempt a : batch) {
                try {
                    store.recordAll(List.of(a));
                    count(a);
                } catch (RuntimeException e) {
                    // The lease expires and the rows are tried again.
                    LOG.warnf("cannot record the outcome of %s: %s", a.job(), e.toString());
                }
            }
        } finally {
            for (DeliveryStore.Attempt a : batch) {
                slots(a.job().destinationId()).decrementAndGet();
                totalInFlight.decrementAndGet();
            }
            wakeUp();
        }
    }

    private void count(DeliveryStore.Attempt a) {
        if (a.outcome().delivered()) {
            delivered.increment(a.job().items().size());
            a.job().raisedAt().forEach(r -> raisedToDelivered.record(Duration.between(r, a.at())));
        } else {
            failed.increment(a.job().items().size());
            LOG.debugf("%s not delivered: %s", a.job(), a.outcome().error());
        }
    }

    /** Stops claiming new work (requests in flight complete and are recorded). */
    public void pause() {
        running.set(false);
    }

    public void resume() {
        running.set(true);
        wakeUp();
    }

    public boolean running() {
        return running.get();
    }

    public int inFlight() {
        return totalInFlight.get();
    }

    /** Waits until nothing is in flight; true if reached within the timeout. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (totalInFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    void onStop(@Observes ShutdownEvent event) {
        pause();
        poller.shutdown();
        awaitIdle(Duration.ofSeconds(5));
        executor.shutdown();
    }
}
