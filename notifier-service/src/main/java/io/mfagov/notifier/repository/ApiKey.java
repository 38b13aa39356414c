package io.mfagov.notifier.repository;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An API key: its hash only. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    public UUID id;
    public String name;
    public String keyHash;
    /** Comma-separated roles. */
    public String roles;
    public Instant createdAt;
    public String createdBy;
    public Instant revokedAt;
    public String revokedBy;
}
