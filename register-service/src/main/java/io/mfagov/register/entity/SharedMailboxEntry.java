package io.mfagov.register.entity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A tenant's shared, room or resource mailbox: one user id or a UPN pattern (exactly one of the two). */
@Entity
@Table(name = "shared_mailbox")
public class SharedMailboxEntry {

    @Id
    public UUID id;
    public String tenantId;
    public String userId;
    public String upnPattern;
    public String note;
    public String addedBy;
    public Instant addedAt;
}
