package io.mfagov.notifier.delivery;

import io.mfagov.notifier.config.NotifierConfig;
import io.mfagov.notifier.repository.Delivery;
import io.mfagov.notifier.repository.DeliveryRepository;
import io.mfagov.notifier.repository.DeliveryStatus;
import io.mfagov.notifier.api.ApiRecords.DeliveryView;
import io.mfagov.support.problem.ProblemException;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Deliveries as the API shows them; dead letters and their re-drive. */
@ApplicationScoped
public class DeliveryService {

    private final DeliveryRepository deliveries;
    private final NotifierConfig config;

    public DeliveryService(DeliveryRepository deliveries, NotifierConfig config) {
        this.deliveries = deliveries;
        this.config = config;
    }

    @Transactional
    public List<DeliveryView> list(DeliveryStatus status, String tenantId, UUID destinationId, String alertId, int limit) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (status != null) {
            where.add("status = :status");
            params.and("status", status);
        }
        if (tenantId != null) {
            where.add("tenantId = :tenantId");
            params.and("tenantId", tenantId);
        }
        if (destinationId != null) {
            where.add("destinationId = :destinationId");
            params.and("destinationId", destinationId);
        }
        if (alertId != null) {
            where.add("alertId = :alertId");
            params.and("alertId", alertId);
        }
        Sort sort = Sort.descending("createdAt").and("id");
        var query = where.isEmpty() ? deliveries.findAll(sort) : deliveries.find(String.join(" and ", where), sort, params);
        return query.page(0, limit).list().stream().map(DeliveryService::view).toList();
    }

    @Transactional
    public DeliveryView get(UUID id) {
        return view(find(id));
    }

    /** Puts a dead letter back to PENDING, due now, with a fresh retry budget. */
    @Transactional
    public DeliveryView retry(UUID id) {
        Delivery d = find(id);
        if (d.status != DeliveryStatus.DEAD) {
            throw ProblemException.conflict("delivery " + id + " is " + d.status + "; only DEAD deliveries can be retried");
        }
        redrive(d, Instant.now());
        return view(d);
    }

    /** Re-drives every dead letter (of one destination when given); returns how many. */
    @Transactional
    public int retryAll(UUID destinationId) {
        List<Delivery> dead = destinationId == null
                ? deliveries.list("status", DeliveryStatus.DEAD)
                : deliveries.list("status = ?1 and destinationId = ?2", DeliveryStatus.DEAD, destinationId);
        Instant now = Instant.now();
        dead.forEach(d -> redrive(d, now));
        return dead.size();
    }

    private void redrive(Delivery d, Instant now) {
        d.status = DeliveryStatus.PENDING;
        d.nextAttemptAt = now;
        d.deadlineAt = now.plus(config.delivery().retryBudget());
        d.deadAt = null;
        d.leaseUntil = null;
        d.claimToken = null;
    }

    private Delivery find(UUID id) {
        Delivery d = deliveries.findById(id);
        if (d == null) {
            throw ProblemException.notFound("delivery", id);
        }
        return d;
    }

    static DeliveryView view(Delivery d) {
        return new DeliveryView(d.id, d.alertId, d.destinationId, d.tenantId, d.kind.name(), d.severity.name(), d.mode, d.status,
                d.attempts, d.status == DeliveryStatus.PENDING ? d.nextAttemptAt : null, d.createdAt, d.raisedAt,
                d.lastAttemptAt, d.deliveredAt, d.deadAt, d.lastStatusCode, d.lastError, d.muteId);
    }
}
