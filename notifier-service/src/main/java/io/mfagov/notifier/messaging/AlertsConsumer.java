package io.mfagov.notifier.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.notifier.config.NotifierConfig;
import io.mfagov.notifier.service.AlertIntakeService;
import io.mfagov.support.messaging.TransientFailures;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes {@code mfagov.alerts} in batches (what one poll returned, in partition order): the readable
 * alerts of a batch are taken in in one transaction, then acknowledged; unreadable records are nacked one
 * by one and go to {@code mfagov.alerts.dlq} with the reason.
 *
 * <p>A failure that passes ({@link TransientFailures#isTransient}: the database down or restarting, no
 * connection, a deadlock) is retried in place with capped exponential backoff, never dead-lettered: the
 * consumer stalls until the database is back and nothing is acknowledged meanwhile. Should the batch fail
 * otherwise, each alert is taken in on its own, and only one that fails alone, not transiently, goes to
 * the DLQ.
 */
@ApplicationScoped
public class AlertsConsumer {

    private static final Logger LOG = Logger.getLogger(AlertsConsumer.class);

    private final AlertIntakeService intake;
    private final NotifierConfig.Intake config;
    private volatile boolean stopping;

    public AlertsConsumer(AlertIntakeService intake, NotifierConfig config) {
        this.intake = intake;
        this.config = config.intake();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Incoming("alerts")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        // One batch at a time (the next is dispatched when this one completes); the work is blocking.
        return Uni.createFrom().voidItem()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .invoke(() -> take(batch.getRecords()));
    }

    private void take(List<KafkaRecord<String, String>> records) {
        List<KafkaRecord<String, String>> readable = new ArrayList<>(records.size());
        List<EventEnvelope<AlertRaised>> alerts = new ArrayList<>(records.size());
        for (KafkaRecord<String, String> record : records) {
            try {
                alerts.add(EventCodec.get().decode(record.getPayload(), AlertRaised.class));
                readable.add(record);
            } catch (RuntimeException e) {
                record.nack(e);
            }
        }
        if (alerts.isEmpty()) {
            return;
        }
        RuntimeException batchFailure = receiveRetryingTransient(alerts);
        if (batchFailure == null) {
            readable.forEach(KafkaRecord::ack);
            return;
        }
        if (stopping) {
            return; // neither acked nor nacked: redelivered after the restart
        }
        LOG.warnf("taking in %d alerts at once failed (%s); one by one", alerts.size(), batchFailure.toString());
        for (int i = 0; i < alerts.size(); i++) {
            RuntimeException failure = receiveRetryingTransient(List.of(alerts.get(i)));
            if (failure == null) {
                readable.get(i).ack();
            } else if (stopping) {
                return;
            } else {
                readable.get(i).nack(reason(failure)); // the record itself is at fault: to the DLQ
            }
        }
    }

    /**
     * Takes the alerts in, retrying transient failures in place (capped exponential backoff) for as long as
     * they last. Returns null when taken in, the failure when it is not transient, or the last failure when
     * the application stops meanwhile ({@link #stopping}).
     */
    private RuntimeException receiveRetryingTransient(List<EventEnvelope<AlertRaised>> alerts) {
        Duration backoff = config.initialRetryBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                intake.receiveAll(alerts);
                if (attempt > 1) {
                    LOG.infof("took in %d alerts after %d attempts", alerts.size(), attempt);
                }
                return null;
            } catch (RuntimeException e) {
                if (!TransientFailures.isTransient(e)) {
                    return e;
                }
                if (stopping) {
                    return e;
                }
                LOG.warnf("taking in %d alerts failed transiently (attempt %d, %s); retrying in %d ms",
                        alerts.size(), attempt, e.toString(), backoff.toMillis());
                if (!sleep(backoff)) {
                    stopping = true; // interrupted: the application is stopping; leave the records unacknowledged
                    return e;
                }
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(config.maxRetryBackoff()) > 0 ? config.maxRetryBackoff() : doubled;
            }
        }
    }

    /**
     * The failure as the DLQ's {@code dead-letter-reason} shows it: the innermost cause (the database's own
     * message, not the transaction manager's wrapper), with the failure kept as the cause.
     */
    static RuntimeException reason(RuntimeException failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage().strip();
        if (message.length() > 500) {
            message = message.substring(0, 499) + "…";
        }
        return new IllegalStateException("cannot take the alert in: " + message, failure);
    }

    private static boolean sleep(Duration delay) {
        try {
            Thread.sleep(Math.max(1, delay.toMillis()));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
