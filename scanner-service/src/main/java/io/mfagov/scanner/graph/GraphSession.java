package io.mfagov.scanner.graph;

import com.microsoft.graph.serviceclient.GraphServiceClient;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Graph client for one tenant's scan, counting what Graph's throttling counts: every request, each one inside a
 * {@code $batch}, and every retry.
 */
public record GraphSession(String tenantId, GraphServiceClient client, AtomicInteger requests) {

    public int requestCount() {
        return requests.get();
    }
}
