package io.mfagov.notifier.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.notifier.config.NotifierConfig;
import io.mfagov.notifier.repository.Delivery;
import io.mfagov.notifier.repository.DeliveryMode;
import io.mfagov.notifier.repository.DeliveryRepository;
import io.mfagov.notifier.repository.DeliveryStatus;
import io.mfagov.notifier.repository.Destination;
import io.mfagov.notifier.repository.DestinationRepository;
import io.mfagov.notifier.repository.DestinationType;
import io.mfagov.notifier.repository.Mute;
import io.mfagov.notifier.repository.MuteRepository;
import io.mfagov.notifier.repository.ReceivedAlert;
import io.mfagov.notifier.repository.ReceivedAlertRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Takes in alerts, each alert id once, and writes in the same transaction one delivery per routed
 * destination: the basis of delivering each alert exactly once per destination.
 */
@ApplicationScoped
public class AlertIntakeService {

    private static final Logger LOG = Logger.getLogger(AlertIntakeService.class);

    private final ReceivedAlertRepository alerts;
    private final DestinationRepository destinations;
    private final DeliveryRepository deliveries;
    private final MuteRepository mutes;
    private final NotifierConfig config;

    public AlertIntakeService(ReceivedAlertRepository alerts, DestinationRepository destinations,
            DeliveryRepository deliveries, MuteRepository mutes, NotifierConfig config) {
        this.alerts = alerts;
        this.destinations = destinations;
        this.deliveries = deliveries;
        this.mutes = mutes;
        this.config = config;
    }

    /** Returns false when this alert id was received before (a replay or a redelivery): nothing is added. */
    @Transactional
    public boolean receive(EventEnvelope<AlertRaised> envelope) {
        AlertRaised alert = envelope.payload();
        if (alerts.findByIdOptional(alert.alertId()).isPresent()) {
            LOG.debugf("alert %s received before; event %s ignored", alert.alertId(), envelope.eventId());
            return false;
        }
        Instant now = Instant.now();
        ReceivedAlert received = new ReceivedAlert();
        received.alertId = alert.alertId();
        received.eventId = envelope.eventId();
        received.tenantId = alert.tenantId();
        received.kind = alert.kind().name();
        received.severity = alert.severity().name();
        received.subject = alert.subject();
        received.exclusionId = alert.exclusionId();
        received.exceptionId = alert.exceptionId();
        received.payload = json(alert);
        received.raisedAt = alert.raisedAt();
        received.receivedAt = now;
        alerts.persist(received);

        List<Destination> candidates = destinations.list("enabled = true and (tenantId is null or tenantId = ?1)",
                alert.tenantId());
        List<Destination> routed = Routing.route(candidates, alert.tenantId(), alert.kind(), alert.severity());
        Optional<Mute> mute = matchingMute(alert, now);
        for (Destination destination : routed) {
            deliveries.persist(newDelivery(alert, destination, mute.orElse(null), now));
        }
        return true;
    }

    private Delivery newDelivery(AlertRaised alert, Destination destination, Mute mute, Instant now) {
        Delivery d = new Delivery();
        d.id = UUID.randomUUID();
        d.alertId = alert.alertId();
        d.destinationId = destination.id;
        d.tenantId = alert.tenantId();
        d.kind = alert.kind().name();
        d.severity = alert.severity().name();
        boolean digest = destination.type == DestinationType.TEAMS_WORKFLOW
                && config.digest().kinds().contains(alert.kind().name());
        d.mode = digest ? DeliveryMode.DIGEST : DeliveryMode.IMMEDIATE;
        d.status = mute != null ? DeliveryStatus.MUTED : DeliveryStatus.PENDING;
        d.muteId = mute != null ? mute.id : null;
        d.attempts = 0;
        d.nextAttemptAt = digest ? windowEnd(now, config.digest().window()) : now;
        d.deadlineAt = d.nextAttemptAt.plus(config.delivery().retryBudget());
        d.createdAt = now;
        d.raisedAt = alert.raisedAt();
        return d;
    }

    /** The end of the digest window {@code now} falls in; windows are aligned to the epoch. */
    static Instant windowEnd(Instant now, Duration window) {
        long size = Math.max(1, window.toMillis());
        return Instant.ofEpochMilli((now.toEpochMilli() / size + 1) * size);
    }

    private Optional<Mute> matchingMute(AlertRaised alert, Instant now) {
        return mutes.find("until > ?1 and (tenantId is null or tenantId = ?2) and (kind is null or kind = ?3)"
                        + " and (exclusionId is null or exclusionId = ?4)",
                now, alert.tenantId(), alert.kind().name(), alert.exclusionId() == null ? "" : alert.exclusionId())
                .firstResultOptional();
    }

    private static String json(AlertRaised alert) {
        try {
            return EventCodec.get().mapper().writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
