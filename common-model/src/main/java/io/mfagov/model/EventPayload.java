package io.mfagov.model;

import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanRequested;

/**
 * The body of an event. Every payload names the tenant it concerns. The implementations are the
 * records registered in {@link EventType}: {@link ScanRequested}, {@link ExclusionDetected},
 * {@link ScanCompleted}, {@link AlertRaised}.
 */
public interface EventPayload {

    String tenantId();

    /** The id that ties this event to others (the scan id where there is one). */
    default String correlationId() {
        return null;
    }
}
