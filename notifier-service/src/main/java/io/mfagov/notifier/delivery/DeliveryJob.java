package io.mfagov.notifier.delivery;

import io.mfagov.notifier.render.MessageFactory;

import io.mfagov.notifier.repository.DeliveryMode;
import io.mfagov.notifier.repository.DestinationType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One request to make, claimed by this worker: a single alert, or a digest of one tenant's alerts.
 * Holds decrypted URL and secret only in memory, for the request. {@code claimToken} is stored on the claimed
 * rows: an outcome is recorded only while the rows still carry it (a later claim of the same rows, after the
 * lease ran out, replaces it). {@code sendBy}: the request is given up at this instant, well inside the lease.
 */
public record DeliveryJob(UUID destinationId, DestinationType type, String url, String secret, DeliveryMode mode,
        String tenantId, List<MessageFactory.Item> items, List<Instant> raisedAt, int attempts, UUID claimToken,
        Instant sendBy) {

    public List<UUID> deliveryIds() {
        return items.stream().map(i -> UUID.fromString(i.deliveryId())).toList();
    }

    @Override
    public String toString() {
        // Never the URL or the secret.
        return "DeliveryJob[destination=" + destinationId + ", mode=" + mode + ", deliveries=" + items.size() + "]";
    }
}
