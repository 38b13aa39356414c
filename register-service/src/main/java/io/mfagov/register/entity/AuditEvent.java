package io.mfagov.register.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.Instant;
import java.util.UUID;

/** One audit trail row. Read-only for Hibernate: rows are appended by {@code AuditLog} and never changed. */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    public long seq;
    public UUID id;
    public Instant occurredAt;
    public String tenantId;
    public String actor;
    public String action;
    public String subjectType;
    public String subjectId;
    @Column(columnDefinition = "text")
    public String details;
    public String prevHash;
    public String hash;
}
