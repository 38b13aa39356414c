package io.mfagov.notifier.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

@ApplicationScoped
public class ReceivedAlertRepository implements PanacheRepositoryBase<ReceivedAlert, String> {

    /** Which of these alert ids were received before, as a modifiable set (ids only: the payloads are not loaded). */
    public Set<String> receivedBefore(Collection<String> alertIds) {
        return new HashSet<>(getEntityManager().createQuery(
                        "select a.alertId from ReceivedAlert a where a.alertId in :ids", String.class)
                .setParameter("ids", alertIds)
                .getResultList());
    }
}
