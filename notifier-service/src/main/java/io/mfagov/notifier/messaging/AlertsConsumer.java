package io.mfagov.notifier.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.notifier.service.AlertIntakeService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code mfagov.alerts}; unreadable records go to {@code mfagov.alerts.dlq} with the reason. */
@ApplicationScoped
public class AlertsConsumer {

    private final AlertIntakeService intake;

    public AlertsConsumer(AlertIntakeService intake) {
        this.intake = intake;
    }

    @Incoming("alerts")
    @Blocking(ordered = true)
    @Transactional
    public void consume(ConsumerRecord<String, String> record) {
        intake.receive(EventCodec.get().decode(record.value(), AlertRaised.class));
    }
}
