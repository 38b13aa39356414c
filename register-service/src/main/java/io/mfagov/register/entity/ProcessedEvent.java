package io.mfagov.register.entity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An event this service has processed (the inbox of the idempotent consumer). */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent {

    @Id
    public UUID eventId;
    public String eventType;
    public String tenantId;
    public Instant processedAt;
}
