package io.mfagov.notifier.service;

import io.mfagov.notifier.delivery.DeliveryWorker;

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
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
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
    private final DeliveryWorker worker;
    private final TransactionSynchronizationRegistry transactions;

    public AlertIntakeService(ReceivedAlertRepository alerts, DestinationRepository destinations,
            DeliveryRepository deliveries, MuteRepository mutes, NotifierConfig config, DeliveryWorker worker,
            TransactionSynchronizationRegistry transactions) {
        this.alerts = alerts;
        this.destinations = destinations;
        this.deliveries = deliveries;
        this.mutes = mutes;
        this.config = config;
        this.worker = worker;
        this.transactions = transactions;
    }

    /** Returns false when this alert id was received before (a replay or a redelivery): nothing is added. */
    @Transactional
    public boolean receive(EventEnvelope<AlertRaised> envelope) {
        return receiveAll(List.of(envelope)) == 1;
    }

    /**
     * Takes in a batch of alerts in one transaction (a few queries for the whole batch, not per alert):
     * alert ids received before, or twice in the batch, add nothing. Returns how many alerts were new.
     */
    @Transactional
    public int receiveAll(List<EventEnvelope<AlertRaised>> envelopes) {
        if (envelopes.isEmpty()) {
            return 0;
        }
        Instant now = Instant.now();
        Set<String> seen = alerts.receivedBefore(envelopes.stream().map(e -> e.payload().alertId()).distinct().toList());
        List<String> tenants = envelopes.stream().map(e -> e.payload().tenantId()).distinct().toList();
        List<Destination> candidates = destinations.list("enabled = true and (tenantId is null or tenantId in ?1)", tenants);
        List<Mute> activeMutes = mutes.list("until > ?1", now);

        List<ReceivedAlert> received = new ArrayList<>();
        List<Delivery> newDeliveries = new ArrayList<>();
        for (EventEnvelope<AlertRaised> envelope : envelopes) {
            AlertRaised alert = envelope.payload();
            if (!seen.add(alert.alertId())) {
                LOG.debugf("alert %s received before; event %s ignored", alert.alertId(), envelope.eventId());
                continue;
            }
            received.add(receivedAlert(envelope, now));
            List<Destination> mine = candidates.stream()
                    .filter(d -> d.tenantId == null || d.tenantId.equals(alert.tenantId())).toList();
            List<Destination> routed = Routing.route(mine, alert.tenantId(), alert.kind(), alert.severity());
            Mute mute = matchingMute(activeMutes, alert);
            for (Destination destination : routed) {
                newDeliveries.add(newDelivery(alert, destination, mute, now));
            }
        }
        // Alerts first, then their deliveries: inserts of one table go out as JDBC batches.
        received.forEach(alerts::persist);
        newDeliveries.forEach(deliveries::persist);
        if (newDeliveries.stream().anyMatch(d -> d.status == DeliveryStatus.PENDING && d.mode == DeliveryMode.IMMEDIATE)) {
            // Once committed, the worker claims them at once instead of at its next tick.
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        worker.wakeUp();
                    }
                }
            });
        }
        return received.size();
    }

    private static ReceivedAlert receivedAlert(EventEnvelope<AlertRaised> envelope, Instant now) {
        AlertRaised alert = envelope.payload();
        ReceivedAlert received = new ReceivedAlert();
        received.alertId = alert.alertId();
        received.eventId = envelope.eventId();
        received.tenantId = alert.tenantId();
        received.kind = alert.kind();
        received.severity = alert.severity();
        received.subject = alert.subject();
        received.exclusionId = alert.exclusionId();
        received.exceptionId = alert.exceptionId();
        received.payload = json(alert);
        received.raisedAt = alert.raisedAt();
        received.receivedAt = now;
        return received;
    }

    private Delivery newDelivery(AlertRaised alert, Destination destination, Mute mute, Instant now) {
        Delivery d = new Delivery();
        d.id = UUID.randomUUID();
        d.alertId = alert.alertId();
        d.destinationId = destination.id;
        d.tenantId = alert.tenantId();
        d.kind = alert.kind();
        d.severity = alert.severity();
        boolean digest = isDigest(destination.type, alert.kind().name(), config.digest().kinds());
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

    /** Teams destinations collect the digest kinds into one card per tenant and window; webhooks get every alert alone. */
    static boolean isDigest(DestinationType type, String kind, Collection<String> digestKinds) {
        return type == DestinationType.TEAMS_WORKFLOW && digestKinds.contains(kind);
    }

    /** The end of the digest window {@code now} falls in; windows are aligned to the epoch. */
    static Instant windowEnd(Instant now, Duration window) {
        long size = Math.max(1, window.toMillis());
        return Instant.ofEpochMilli((now.toEpochMilli() / size + 1) * size);
    }

    /** A mute in force for the alert: its tenant (or any), its kind (or any), its exclusion (or any). */
    static Mute matchingMute(List<Mute> active, AlertRaised alert) {
        String exclusionId = alert.exclusionId() == null ? "" : alert.exclusionId();
        for (Mute m : active) {
            if ((m.tenantId == null || m.tenantId.equals(alert.tenantId()))
                    && (m.kind == null || m.kind == alert.kind())
                    && (m.exclusionId == null || m.exclusionId.equals(exclusionId))) {
                return m;
            }
        }
        return null;
    }

    private static String json(AlertRaised alert) {
        try {
            return EventCodec.get().mapper().writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
