package io.mfagov.notifier.delivery;

import io.mfagov.notifier.outbound.SecretBox;
import io.mfagov.notifier.render.MessageFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mfagov.model.EventCodec;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.notifier.config.NotifierConfig;
import io.mfagov.notifier.repository.Delivery;
import io.mfagov.notifier.repository.DeliveryMode;
import io.mfagov.notifier.repository.DeliveryRepository;
import io.mfagov.notifier.repository.DeliveryStatus;
import io.mfagov.notifier.repository.Destination;
import io.mfagov.notifier.repository.DestinationRepository;
import io.mfagov.notifier.repository.DestinationType;
import io.mfagov.notifier.repository.ReceivedAlert;
import io.mfagov.notifier.repository.ReceivedAlertRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The delivery table as the worker sees it: claims due deliveries with a lease (row locks with SKIP
 * LOCKED, so several replicas never claim the same row) and records each attempt's outcome.
 */
@ApplicationScoped
public class DeliveryStore {

    /** PostgreSQL SKIP LOCKED through Hibernate's lock-timeout hint. */
    private static final String LOCK_TIMEOUT_HINT = "jakarta.persistence.lock.timeout";
    private static final int SKIP_LOCKED = -2;

    private final DeliveryRepository deliveries;
    private final DestinationRepository destinations;
    private final ReceivedAlertRepository alerts;
    private final SecretBox secrets;
    private final NotifierConfig.Delivery config;

    public DeliveryStore(DeliveryRepository deliveries, DestinationRepository destinations,
            ReceivedAlertRepository alerts, SecretBox secrets, NotifierConfig config) {
        this.deliveries = deliveries;
        this.destinations = destinations;
        this.alerts = alerts;
        this.secrets = secrets;
        this.config = config.delivery();
    }

    /**
     * Claims due deliveries, per destination at most {@code freeSlots} requests (a digest counts as one),
     * and returns them as jobs. The lease outlives any request; a crashed worker's rows come back after it.
     */
    @Transactional
    public List<DeliveryJob> claim(Instant now, ToIntFunction<UUID> freeSlots) {
        Map<UUID, Long> due = deliveries.dueByDestination(now);
        // Each request is over by sendBy (HttpSender's hard deadline); the lease lasts the margin longer, so
        // the outcome is recorded before another worker may take the rows back. Should it come later anyway,
        // the claim token (new with every claim) keeps a stale outcome from overwriting the newer claim's.
        Instant sendBy = now.plus(config.connectTimeout()).plus(config.requestTimeout());
        Claim lease = new Claim(UUID.randomUUID(), sendBy.plus(config.leaseMargin()), sendBy);
        Map<UUID, Integer> freeByDestination = new LinkedHashMap<>();
        for (UUID destinationId : due.keySet()) {
            int free = Math.min(freeSlots.applyAsInt(destinationId), config.batchSize());
            if (free > 0) {
                freeByDestination.put(destinationId, free);
            }
        }
        if (freeByDestination.isEmpty()) {
            return List.of();
        }
        Map<UUID, Destination> byId = destinations.list("id in ?1", List.copyOf(freeByDestination.keySet())).stream()
                .collect(Collectors.toMap(d -> d.id, d -> d));
        List<DeliveryJob> jobs = new ArrayList<>();
        for (Map.Entry<UUID, Integer> entry : freeByDestination.entrySet()) {
            UUID destinationId = entry.getKey();
            int free = entry.getValue();
            Destination destination = byId.get(destinationId);
            if (destination == null) {
                continue;
            }
            List<Delivery> claimed = deliveries.find("destinationId = ?1 and status = ?2 and nextAttemptAt <= ?3"
                                    + " and (leaseUntil is null or leaseUntil < ?3)",
                            Sort.ascending("nextAttemptAt"), destinationId, DeliveryStatus.PENDING, now)
                    .withLock(LockModeType.PESSIMISTIC_WRITE)
                    .withHint(LOCK_TIMEOUT_HINT, SKIP_LOCKED)
                    // Webhook deliveries are one request each: lock no more rows than there are free slots.
                    // Teams rows may be digests (many rows, one request): take the batch to group them.
                    .page(0, destination.type == DestinationType.WEBHOOK ? free : config.batchSize())
                    .list();
            jobs.addAll(jobsFor(destination, claimed, free, lease));
        }
        return jobs;
    }

    private List<DeliveryJob> jobsFor(Destination destination, List<Delivery> claimed, int free, Claim lease) {
        if (claimed.isEmpty()) {
            return List.of();
        }
        String url = secrets.decrypt(destination.urlCiphertext, destination.id.toString());
        String secret = destination.secretCiphertext == null ? null
                : secrets.decrypt(destination.secretCiphertext, destination.id.toString());
        // The stored alerts of every claimed row, in one query.
        Map<String, ReceivedAlert> received = alerts.list("alertId in ?1",
                        claimed.stream().map(r -> r.alertId).distinct().toList())
                .stream().collect(Collectors.toMap(a -> a.alertId, a -> a));
        List<DeliveryJob> jobs = new ArrayList<>();
        // Digests first grouped by tenant (one card each), then single alerts, until the slots are used.
        Map<String, List<Delivery>> digests = claimed.stream().filter(d -> d.mode == DeliveryMode.DIGEST)
                .collect(Collectors.groupingBy(d -> d.tenantId, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Delivery>> group : digests.entrySet()) {
            if (jobs.size() >= free) {
                break;
            }
            jobs.add(job(destination, url, secret, DeliveryMode.DIGEST, group.getKey(), group.getValue(), received, lease));
        }
        for (Delivery d : claimed) {
            if (jobs.size() >= free) {
                break;
            }
            if (d.mode == DeliveryMode.IMMEDIATE) {
                jobs.add(job(destination, url, secret, DeliveryMode.IMMEDIATE, d.tenantId, List.of(d), received, lease));
            }
        }
        return jobs;
    }

    private DeliveryJob job(Destination destination, String url, String secret, DeliveryMode mode, String tenantId,
            List<Delivery> rows, Map<String, ReceivedAlert> received, Claim lease) {
        List<MessageFactory.Item> items = new ArrayList<>();
        List<Instant> raised = new ArrayList<>();
        int attempts = 0;
        for (Delivery row : rows) {
            row.leaseUntil = lease.until();
            row.claimToken = lease.token();
            attempts = Math.max(attempts, row.attempts);
            items.add(new MessageFactory.Item(row.id.toString(), alert(received.get(row.alertId))));
            raised.add(row.raisedAt);
        }
        return new DeliveryJob(destination.id, destination.type, url, secret, mode, tenantId, items, raised, attempts,
                lease.token(), lease.sendBy());
    }

    /** One claim: its token (stored on the rows), the lease's end, and when its requests are given up. */
    private record Claim(UUID token, Instant until, Instant sendBy) {
    }

    private static AlertRaised alert(ReceivedAlert received) {
        try {
            return EventCodec.get().mapper().readValue(received.payload, AlertRaised.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored alert " + received.alertId + " is unreadable", e);
        }
    }

    /** One finished request: the job, how it went, and when. */
    public record Attempt(DeliveryJob job, SendOutcome outcome, Instant at) {
    }

    /**
     * Records an attempt for every delivery of a job. Rows no longer PENDING (re-driven, deleted) or no longer
     * holding the job's claim (the lease ran out and another claim took them) are left alone.
     */
    @Transactional
    public void record(DeliveryJob job, SendOutcome outcome, Instant now) {
        recordAll(List.of(new Attempt(job, outcome, now)));
    }

    /** Records several finished requests in one transaction (one query for all their rows). */
    @Transactional
    public void recordAll(List<Attempt> attempts) {
        // Successes, the common case: one UPDATE per status code and claim for all of them, only rows still
        // PENDING under this claim (claims are per poll, so a batch holds few).
        Map<SuccessKey, List<Attempt>> delivered = attempts.stream().filter(a -> a.outcome().delivered())
                .collect(Collectors.groupingBy(a -> new SuccessKey(a.outcome().statusCode(), a.job().claimToken()),
                        LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<SuccessKey, List<Attempt>> group : delivered.entrySet()) {
            Instant at = group.getValue().stream().map(Attempt::at).max(Instant::compareTo).orElseThrow();
            deliveries.markDelivered(group.getValue().stream().flatMap(a -> a.job().deliveryIds().stream()).toList(),
                    group.getKey().claimToken(), group.getKey().statusCode(), at);
        }
        List<Attempt> failed = attempts.stream().filter(a -> !a.outcome().delivered()).toList();
        if (failed.isEmpty()) {
            return;
        }
        Map<UUID, Delivery> rows = deliveries.list("id in ?1",
                        failed.stream().flatMap(a -> a.job().deliveryIds().stream()).toList())
                .stream().collect(Collectors.toMap(d -> d.id, d -> d));
        for (Attempt attempt : failed) {
            apply(attempt, attempt.job().deliveryIds().stream().map(rows::get).filter(d -> d != null).toList());
        }
    }

    private record SuccessKey(Integer statusCode, UUID claimToken) {
    }

    private void apply(Attempt attempt, List<Delivery> rows) {
        DeliveryJob job = attempt.job();
        SendOutcome outcome = attempt.outcome();
        Instant now = attempt.at();
        Instant retryAt = null;
        if (!outcome.delivered() && !outcome.permanent()) {
            retryAt = now.plus(retryDelay(outcome.retryAfter(), job.attempts() + 1, config.initialBackoff(),
                    config.maxBackoff(), config.maxRetryAfter()));
        }
        for (Delivery d : rows) {
            if (d.status != DeliveryStatus.PENDING || !job.claimToken().equals(d.claimToken)) {
                continue; // re-driven, or claimed again after this claim's lease ran out: not this attempt's row
            }
            d.attempts++;
            d.lastAttemptAt = now;
            d.lastStatusCode = outcome.statusCode();
            d.leaseUntil = null;
            d.claimToken = null;
            if (outcome.delivered()) {
                d.status = DeliveryStatus.DELIVERED;
                d.deliveredAt = now;
                d.lastError = null;
            } else {
                d.lastError = truncate(outcome.error());
                Instant next = nextAttempt(outcome.permanent(), retryAt, now, d.deadlineAt);
                if (next == null) {
                    d.status = DeliveryStatus.DEAD;
                    d.deadAt = now;
                } else {
                    d.nextAttemptAt = next;
                }
            }
        }
    }

    /**
     * How long after a failed attempt the next one comes: the destination's Retry-After, capped at
     * {@code maxRetryAfter}, when it sent one; otherwise the backoff after {@code failedAttempts} failures
     * ({@link Backoff}: {@code initial} doubling up to {@code max}, equal jitter).
     */
    static Duration retryDelay(Duration retryAfter, int failedAttempts, Duration initial, Duration max,
            Duration maxRetryAfter) {
        return retryAfter != null ? min(retryAfter, maxRetryAfter) : Backoff.delay(failedAttempts, initial, max);
    }

    /**
     * When a failed delivery is tried next, or null when it is dead: a permanent refusal, or a failure at or after its
     * deadline. Otherwise at {@code retryAt}, but no later than the deadline (the last try happens at the deadline;
     * failing then makes it a dead letter).
     */
    static Instant nextAttempt(boolean permanent, Instant retryAt, Instant now, Instant deadline) {
        if (permanent || !now.isBefore(deadline)) {
            return null;
        }
        return retryAt.isAfter(deadline) ? deadline : retryAt;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String truncate(String error) {
        if (error == null) {
            return null;
        }
        return error.length() > 2000 ? error.substring(0, 1999) + "…" : error;
    }
}
