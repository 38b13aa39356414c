package io.mfagov.register.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An event written with the state change that caused it, waiting to be relayed to Kafka. */
@Entity
@Table(name = "outbox")
public class OutboxMessage {

    @Id
    public long id;
    public UUID eventId;
    public String dedupKey;
    public String topic;
    public String messageKey;
    public String eventType;
    @Column(columnDefinition = "text")
    public String payload;
    public Instant createdAt;
    public Instant sentAt;
    public int attempts;
    public String lastError;
    /** Set when the row failed {@code register.outbox.max-attempts} times: the relay skips it from then on. */
    public Instant parkedAt;
}
