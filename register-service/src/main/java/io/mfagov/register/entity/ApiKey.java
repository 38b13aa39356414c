package io.mfagov.register.entity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An API key for a PSA integration. Only the key's SHA-256 is stored. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    public UUID id;
    public String name;
    public String keyHash;
    /** Comma separated. */
    public String roles;
    public String createdBy;
    public Instant createdAt;
    public String revokedBy;
    public Instant revokedAt;
}
