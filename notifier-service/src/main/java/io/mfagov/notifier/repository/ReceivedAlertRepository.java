package io.mfagov.notifier.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ReceivedAlertRepository implements PanacheRepositoryBase<ReceivedAlert, String> {
}
