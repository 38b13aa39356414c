package io.mfagov.notifier.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class DeliveryRepository implements PanacheRepositoryBase<Delivery, UUID> {

    /** How many deliveries are due and not leased, per destination. */
    public Map<UUID, Long> dueByDestination(Instant now) {
        Map<UUID, Long> due = new LinkedHashMap<>();
        getEntityManager().createQuery("select d.destinationId, count(d) from Delivery d where d.status = :pending"
                        + " and d.nextAttemptAt <= :now and (d.leaseUntil is null or d.leaseUntil < :now)"
                        + " group by d.destinationId", Object[].class)
                .setParameter("pending", DeliveryStatus.PENDING)
                .setParameter("now", now)
                .getResultList()
                .forEach(row -> due.put((UUID) row[0], (Long) row[1]));
        return due;
    }

    /**
     * Records a successful attempt on the given rows in one UPDATE, only on rows still PENDING under the claim
     * {@code claimToken} (rows re-driven, deleted or claimed again are left alone). Returns how many rows it changed.
     */
    public int markDelivered(Collection<UUID> ids, UUID claimToken, Integer statusCode, Instant at) {
        return getEntityManager().createQuery("update Delivery d set d.status = :delivered,"
                        + " d.attempts = d.attempts + 1, d.lastAttemptAt = :at, d.deliveredAt = :at,"
                        + " d.lastStatusCode = :code, d.leaseUntil = null, d.claimToken = null, d.lastError = null"
                        + " where d.id in :ids and d.status = :pending and d.claimToken = :token")
                .setParameter("delivered", DeliveryStatus.DELIVERED)
                .setParameter("at", at)
                .setParameter("code", statusCode)
                .setParameter("token", claimToken)
                .setParameter("ids", ids)
                .setParameter("pending", DeliveryStatus.PENDING)
                .executeUpdate();
    }
}
