package io.mfagov.scanner.graph;

import com.microsoft.graph.serviceclient.GraphServiceClient;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Graph client for one tenant's scan, counting what Graph's throttling counts: every request, each one inside a
 * {@code $batch}, and every retry; with the tenant's pacers (shared by every scan and remediation of the tenant in this process) for Graph's
 * identity-and-access-reports limit and for the CA endpoints' limit.
 */
public record GraphSession(String tenantId, GraphServiceClient client, AtomicInteger requests, TenantPacer reports,
        TenantPacer ca) {

    public int requestCount() {
        return requests.get();
    }
}
