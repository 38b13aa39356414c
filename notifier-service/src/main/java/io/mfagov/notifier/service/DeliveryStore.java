package io.mfagov.notifier.service;

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
        List<Object[]> due = deliveries.getEntityManager().createQuery(
                        "select d.destinationId, count(d) from Delivery d where d.status = :pending"
                                + " and d.nextAttemptAt <= :now and (d.leaseUntil is null or d.leaseUntil < :now)"
                                + " group by d.destinationId", Object[].class)
                .setParameter("pending", DeliveryStatus.PENDING)
                .setParameter("now", now)
                .getResultList();
        Instant lease = now.plus(config.connectTimeout()).plus(config.requestTimeout()).plus(Duration.ofSeconds(30));
        List<DeliveryJob> jobs = new ArrayList<>();
        for (Object[] row : due) {
            UUID destinationId = (UUID) row[0];
            int free = Math.min(freeSlots.applyAsInt(destinationId), config.batchSize());
            if (free <= 0) {
                continue;
            }
            Destination destination = destinations.findById(destinationId);
            if (destination == null) {
                continue;
            }
            List<Delivery> claimed = deliveries.find("destinationId = ?1 and status = ?2 and nextAttemptAt <= ?3"
                                    + " and (leaseUntil is null or leaseUntil < ?3)",
                            Sort.ascending("nextAttemptAt"), destinationId, DeliveryStatus.PENDING, now)
                    .withLock(LockModeType.PESSIMISTIC_WRITE)
                    .withHint(LOCK_TIMEOUT_HINT, SKIP_LOCKED)
                    .page(0, config.batchSize())
                    .list();
            jobs.addAll(jobsFor(destination, claimed, free, lease));
        }
        return jobs;
    }

    private List<DeliveryJob> jobsFor(Destination destination, List<Delivery> claimed, int free, Instant lease) {
        if (claimed.isEmpty()) {
            return List.of();
        }
        String url = secrets.decrypt(destination.urlCiphertext, destination.id.toString());
        String secret = destination.secretCiphertext == null ? null
                : secrets.decrypt(destination.secretCiphertext, destination.id.toString());
        List<DeliveryJob> jobs = new ArrayList<>();
        // Digests first grouped by tenant (one card each), then single alerts, until the slots are used.
        Map<String, List<Delivery>> digests = claimed.stream().filter(d -> d.mode == DeliveryMode.DIGEST)
                .collect(Collectors.groupingBy(d -> d.tenantId, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Delivery>> group : digests.entrySet()) {
            if (jobs.size() >= free) {
                break;
            }
            jobs.add(job(destination, url, secret, DeliveryMode.DIGEST, group.getKey(), group.getValue(), lease));
        }
        for (Delivery d : claimed) {
            if (jobs.size() >= free) {
                break;
            }
            if (d.mode == DeliveryMode.IMMEDIATE) {
                jobs.add(job(destination, url, secret, DeliveryMode.IMMEDIATE, d.tenantId, List.of(d), lease));
            }
        }
        return jobs;
    }

    private DeliveryJob job(Destination destination, String url, String secret, DeliveryMode mode, String tenantId,
            List<Delivery> rows, Instant lease) {
        List<MessageFactory.Item> items = new ArrayList<>();
        List<Instant> raised = new ArrayList<>();
        int attempts = 0;
        Map<String, ReceivedAlert> received = alerts.list("alertId in ?1", rows.stream().map(r -> r.alertId).toList())
                .stream().collect(Collectors.toMap(a -> a.alertId, a -> a));
        for (Delivery row : rows) {
            row.leaseUntil = lease;
            attempts = Math.max(attempts, row.attempts);
            items.add(new MessageFactory.Item(row.id.toString(), alert(received.get(row.alertId))));
            raised.add(row.raisedAt);
        }
        return new DeliveryJob(destination.id, destination.type, url, secret, mode, tenantId, items, raised, attempts);
    }

    private static AlertRaised alert(ReceivedAlert received) {
        try {
            return EventCodec.get().mapper().readValue(received.payload, AlertRaised.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored alert " + received.alertId + " is unreadable", e);
        }
    }

    /** Records an attempt for every delivery of a job. Rows no longer PENDING (re-driven, deleted) are left alone. */
    @Transactional
    public void record(DeliveryJob job, SendOutcome outcome, Instant now) {
        List<Delivery> rows = deliveries.list("id in ?1", job.deliveryIds());
        Instant retryAt = null;
        if (!outcome.delivered() && !outcome.permanent()) {
            Duration delay = outcome.retryAfter() != null
                    ? min(outcome.retryAfter(), config.maxRetryAfter())
                    : Backoff.delay(job.attempts() + 1, config.initialBackoff(), config.maxBackoff());
            retryAt = now.plus(delay);
        }
        for (Delivery d : rows) {
            if (d.status != DeliveryStatus.PENDING) {
                continue;
            }
            d.attempts++;
            d.lastAttemptAt = now;
            d.lastStatusCode = outcome.statusCode();
            d.leaseUntil = null;
            if (outcome.delivered()) {
                d.status = DeliveryStatus.DELIVERED;
                d.deliveredAt = now;
                d.lastError = null;
            } else {
                d.lastError = truncate(outcome.error());
                if (outcome.permanent() || !now.isBefore(d.deadlineAt)) {
                    d.status = DeliveryStatus.DEAD;
                    d.deadAt = now;
                } else {
                    // The last try happens at the deadline at the latest; failing then makes it a dead letter.
                    d.nextAttemptAt = retryAt.isAfter(d.deadlineAt) ? d.deadlineAt : retryAt;
                }
            }
        }
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
