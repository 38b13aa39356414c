package io.mfagov.scanner.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.scanner.service.ScanService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mfagov.scan-requests} as consumer group {@code mfagov-scanner}: replicas share
 * tenants. Unreadable requests go to {@code mfagov.scan-requests.dlq} with the reason. Several tenants are scanned
 * at once (worker pool {@code tenant-scans}); the same tenant never twice at a time.
 */
@ApplicationScoped
public class ScanRequestConsumer {

    private final ScanService scans;

    public ScanRequestConsumer(ScanService scans) {
        this.scans = scans;
    }

    @Incoming("scan-requests")
    @Blocking(value = "tenant-scans", ordered = false)
    public void consume(ConsumerRecord<String, String> record) {
        scans.scan(EventCodec.get().decode(record.value(), ScanRequested.class).payload());
    }
}
