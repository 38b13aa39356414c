package io.mfagov.scanner.service;

import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.scanner.messaging.ScanResultPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one tenant's scan for a {@link ScanRequested} and publishes its results: each {@code ExclusionDetected}, then
 * the {@code CoverageObserved} (when the policies could be read) followed by each {@code MfaGapDetected} and the
 * {@code TenantPostureObserved}, then the {@code ScanCompleted}, keyed by tenant. A tenant is scanned by one thread of this replica at a time.
 */
@ApplicationScoped
public class ScanService {

    private static final Logger LOG = Logger.getLogger(ScanService.class);

    private final ScanResultPublisher publisher;
    private final TenantScanner scanner;
    private final Clock clock = Clock.systemUTC();
    private final ConcurrentHashMap<String, Object> tenantLocks = new ConcurrentHashMap<>();

    public ScanService(ScanResultPublisher publisher, TenantScanner scanner) {
        this.publisher = publisher;
        this.scanner = scanner;
    }

    public ScanCompleted scan(ScanRequested request) {
        Object lock = tenantLocks.computeIfAbsent(request.tenantId().toLowerCase(Locale.ROOT), k -> new Object());
        synchronized (lock) {
            TenantScan scan = scanner.scan(request.tenantId(), null, request.credentialRef());
            UUID scanId = UUID.randomUUID();
            List<EventEnvelope<? extends EventPayload>> events = new ArrayList<>();
            for (Detection d : scan.detections()) {
                events.add(EventEnvelope.wrap(ScanEvents.detected(scanId, request.tenantId(), d, scan.finishedAt()),
                        clock.instant()));
            }
            if (scan.coverage() != null) {
                events.add(EventEnvelope.wrap(ScanEvents.coverage(scanId, request.tenantId(), scan.coverage(),
                        scan.finishedAt()), clock.instant()));
                for (Gap g : scan.gaps()) {
                    events.add(EventEnvelope.wrap(ScanEvents.gap(scanId, request.tenantId(), g, scan.finishedAt()),
                            clock.instant()));
                }
                for (PrincipalUsage u : scan.usage()) {
                    events.add(EventEnvelope.wrap(ScanEvents.usage(scanId, request.tenantId(), u, scan.finishedAt()),
                            clock.instant()));
                }
                events.add(EventEnvelope.wrap(ScanEvents.posture(scanId, request.tenantId(), scan, scan.finishedAt()),
                        clock.instant()));
            }
            ScanCompleted completed = ScanEvents.completed(scanId, request.requestId(), request.tenantId(), scan);
            events.add(EventEnvelope.wrap(completed, clock.instant()));
            publisher.publish(events);
            LOG.infof("tenant %s scanned: %s (access %s), %d detections, %d Graph requests", request.tenantId(),
                    scan.status(), completed.accessStatus(), scan.detections().size(), scan.graphRequestCount());
            return completed;
        }
    }
}
