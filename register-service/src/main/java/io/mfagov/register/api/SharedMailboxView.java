package io.mfagov.register.api;

import io.mfagov.register.entity.SharedMailboxEntry;

import java.time.Instant;
import java.util.UUID;

/** A listed shared, room or resource mailbox. */
public record SharedMailboxView(UUID id, String tenantId, String userId, String upnPattern, String note, String addedBy,
        Instant addedAt) {

    public static SharedMailboxView of(SharedMailboxEntry e) {
        return new SharedMailboxView(e.id, e.tenantId, e.userId, e.upnPattern, e.note, e.addedBy, e.addedAt);
    }
}
