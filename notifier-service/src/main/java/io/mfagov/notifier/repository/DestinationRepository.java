package io.mfagov.notifier.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class DestinationRepository implements PanacheRepositoryBase<Destination, UUID> {
}
