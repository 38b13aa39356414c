package io.mfagov.scanner.rest;

import io.mfagov.support.ids.Ids;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.ScanReason;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.model.kafka.EventRecords;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.mfagov.support.auth.Roles;
import io.mfagov.support.problem.ProblemException;
import io.mfagov.support.auth.CurrentActor;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /api/v1/scans}: asks for scans of tenants by publishing {@code ScanRequested} records.
 * Needs the {@code requester} role; the authenticated identity is recorded as {@code requestedBy}.
 */
@Path("/api/v1/scans")
@Tag(name = "Scans", description = "Ask for scans of tenants now (published as ScanRequested)")
@RolesAllowed(Roles.REQUESTER)
public class ScanResource {

    private static final int MAX_TENANTS = 1000;

    /** The request body. */
    public record ScanRequest(List<String> tenantIds) {
    }

    /** One accepted tenant. */
    public record Accepted(String tenantId, UUID requestId) {
    }

    private final Emitter<String> requests;
    private final CurrentActor actor;

    public ScanResource(@Channel("scan-requests-out") Emitter<String> requests, CurrentActor actor) {
        this.requests = requests;
        this.actor = actor;
    }

    @POST
    @Operation(summary = "Request scans of up to 1000 tenants; 202 with one requestId per tenant")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response request(ScanRequest body) throws Exception {
        if (body == null || body.tenantIds() == null || body.tenantIds().isEmpty()) {
            throw ProblemException.invalid("tenantIds", "tenantIds is required: a non-empty list of tenant ids (GUIDs)");
        }
        if (body.tenantIds().size() > MAX_TENANTS) {
            throw ProblemException.invalid("tenantIds", "at most " + MAX_TENANTS + " tenantIds per request");
        }
        List<String> bad = body.tenantIds().stream().filter(t -> t == null || !Ids.isTenantId(t)).toList();
        if (!bad.isEmpty()) {
            throw ProblemException.invalid("tenantIds", "tenantIds must be GUIDs; not: " + bad.stream().limit(5).map(String::valueOf).toList());
        }
        String requestedBy = actor.name();
        List<Accepted> accepted = new ArrayList<>();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String tenant : new LinkedHashSet<>(body.tenantIds())) {
            ScanRequested r = new ScanRequested(UUID.randomUUID(), tenant.toLowerCase(), null, ScanReason.API,
                    Instant.now(), requestedBy, null);
            EventEnvelope<ScanRequested> envelope = EventEnvelope.wrap(r, Instant.now());
            CompletableFuture<Void> ack = new CompletableFuture<>();
            requests.send(Message.of(EventCodec.get().encode(envelope))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(envelope.key())
                            .withHeaders(EventRecords.headers(envelope)).build())
                    .withAck(() -> {
                        ack.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(e -> {
                        ack.completeExceptionally(e);
                        return CompletableFuture.completedFuture(null);
                    }));
            acks.add(ack);
            accepted.add(new Accepted(r.tenantId(), r.requestId()));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return Response.accepted(Map.of("scans", accepted)).build();
    }

}
