package io.mfagov.scanner.service;

import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.events.CustomerDiscovered;
import io.mfagov.model.events.DiscoveryRequested;
import io.mfagov.scanner.messaging.ScanResultPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link DiscoveryRequested} and publishes its answers on {@code mfagov.scan-results}, keyed by the partner
 * tenant: each {@code CustomerDiscovered}, then the {@code DiscoveryCompleted}.
 */
@ApplicationScoped
public class DiscoveryService {

    private static final Logger LOG = Logger.getLogger(DiscoveryService.class);

    private final ScanResultPublisher publisher;
    private final PartnerDiscovery discovery;
    private final Clock clock = Clock.systemUTC();

    public DiscoveryService(ScanResultPublisher publisher, PartnerDiscovery discovery) {
        this.publisher = publisher;
        this.discovery = discovery;
    }

    public PartnerDiscovery.Outcome discover(DiscoveryRequested request) {
        PartnerDiscovery.Outcome outcome = discovery.discover(request);
        List<EventEnvelope<? extends EventPayload>> events = new ArrayList<>();
        for (CustomerDiscovered c : outcome.customers()) {
            events.add(EventEnvelope.wrap(c, clock.instant()));
        }
        events.add(EventEnvelope.wrap(outcome.completed(), clock.instant()));
        publisher.publish(events);
        LOG.infof("partner tenant %s discovered: %s, %d customers, %d Graph requests", request.tenantId(),
                outcome.completed().status(), outcome.customers().size(), outcome.completed().graphRequestCount());
        return outcome;
    }
}
