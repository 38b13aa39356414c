package io.mfagov.keys.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * An API key of a PSA integration or automation, in the service's own {@code api_key} table (each service that
 * accepts keys has one, created by its Flyway migrations). Only the key's SHA-256 is stored. Column names are
 * explicit so the entity maps the same way whatever naming strategy the service uses.
 */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    public UUID id;
    /** Unique forever, case-insensitively: the actor {@code apikey:<name>} of every write made with the key. */
    @Column(name = "name", nullable = false)
    public String name;
    @Column(name = "key_hash", nullable = false)
    public String keyHash;
    /** Comma-separated role names, lower case. */
    @Column(name = "roles", nullable = false)
    public String roles;
    @Column(name = "created_by", nullable = false)
    public String createdBy;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "revoked_by")
    public String revokedBy;
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
