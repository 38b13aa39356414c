package io.mfagov.scanner.graph;

import com.microsoft.graph.serviceclient.GraphServiceClient;

import java.util.concurrent.atomic.AtomicInteger;

/** A Graph client for one tenant's scan, counting every HTTP request it sends (retries included). */
public record GraphSession(String tenantId, GraphServiceClient client, AtomicInteger requests) {

    public int requestCount() {
        return requests.get();
    }
}
