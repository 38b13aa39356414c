package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One customer tenant of the partner tenant, found by a discovery. Topic {@code mfagov.scan-results}, key = the
 * partner tenant id (so the customers and their {@link DiscoveryCompleted} stay in order).
 *
 * @param discoveryId        the discovery run
 * @param requestId          the {@link DiscoveryRequested#requestId()} it answers (null when not asked over Kafka)
 * @param tenantId           the partner tenant
 * @param customerTenantId   the customer's Entra tenant id
 * @param displayName        the customer's name: from its own organization read when the app can read it,
 *                           otherwise from the GDAP customer or the contract ({@code nameSource} says which)
 * @param nameSource         where the name came from
 * @param defaultDomain      the customer's default domain (contract or organization), may be null
 * @param contractType       the partner contract type ({@code SyndicationPartner}, {@code BreadthPartner},
 *                           {@code ResellerPartner}, …) or null when there is no contract, only GDAP
 * @param relationships      the GDAP relationships with this customer, every status
 * @param accessStatus       whether the app can read this customer (its token and roles, like a scan's check)
 * @param consentUrl         the admin-consent URL for this customer and the app of its credential set
 * @param missingPermissions application permissions the app lacks there (MISSING_PERMISSIONS)
 * @param observedAt         when read
 */
public record CustomerDiscovered(
        UUID discoveryId,
        UUID requestId,
        String tenantId,
        String customerTenantId,
        String displayName,
        NameSource nameSource,
        String defaultDomain,
        String contractType,
        List<DelegatedRelationship> relationships,
        AccessStatus accessStatus,
        String consentUrl,
        List<String> missingPermissions,
        Instant observedAt) implements EventPayload {

    public CustomerDiscovered {
        Require.present(discoveryId, "discoveryId");
        Require.guid(tenantId, "tenantId");
        Require.guid(customerTenantId, "customerTenantId");
        Require.present(nameSource, "nameSource");
        relationships = relationships == null ? List.of() : List.copyOf(relationships);
        Require.present(accessStatus, "accessStatus");
        missingPermissions = missingPermissions == null ? List.of() : List.copyOf(missingPermissions);
        Require.present(observedAt, "observedAt");
    }

    @Override
    public String correlationId() {
        return discoveryId.toString();
    }
}
