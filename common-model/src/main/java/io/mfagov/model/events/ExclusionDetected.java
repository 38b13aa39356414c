package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One way past one MFA-requiring policy, seen by one scan: a principal excluded through one path, or a hole in the
 * policy itself (a condition it leaves out, a non-MFA grant alternative; {@link Via#kind()} {@code CONDITION}).
 * Topic {@code mfagov.scan-results}, key tenantId; the scan's {@link CoverageObserved} and {@link ScanCompleted} follow.
 *
 * @param inScope      whether the policy's include side targets the principal (false: the exclusion opens nothing —
 *                     cleanup material); null for holes of the policy itself and when it could not be decided
 * @param policyTarget what the policy targets: {@code allApps}, {@code apps:<ids>}, {@code userAction:<action>},
 *                     {@code authContext:<id>}
 * @param eligible     true when the path goes through a PIM-eligible (not active) role or group membership
 * @param shadowed     true when another enabled MFA policy for all cloud apps, with no hole and no alternative, still
 *                     requires MFA of the principal
 * @param closedBy     an enabled policy that closes this hole for the users it covers (the hole does not count
 *                     against coverage)
 * @param details      facts about a hole (IP ranges, countries, the device filter rule, the levels left out)
 * @param flags        what a reader must know: {@code unknownValue:<field>=<value>}, {@code userChangeableProperty},
 *                     {@code legacyMfaTrustedIps}, {@code customControlNotMfa}
 */
public record ExclusionDetected(
        UUID scanId,
        String tenantId,
        PolicyRef policy,
        Principal principal,
        Via via,
        Instant observedAt,
        Boolean inScope,
        String policyTarget,
        Boolean eligible,
        Boolean shadowed,
        ClosingPolicy closedBy,
        Map<String, String> details,
        List<String> flags) implements EventPayload {

    /** An exclusion as the first version of this event carried it: no scope, target, PIM or shadow facts. */
    public ExclusionDetected(UUID scanId, String tenantId, PolicyRef policy, Principal principal, Via via,
            Instant observedAt) {
        this(scanId, tenantId, policy, principal, via, observedAt, null, null, null, null, null, null, null);
    }

    public ExclusionDetected {
        Require.present(scanId, "scanId");
        Require.guid(tenantId, "tenantId");
        Require.present(policy, "policy");
        Require.present(principal, "principal");
        Require.present(via, "via");
        Require.present(observedAt, "observedAt");
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        flags = flags == null ? List.of() : List.copyOf(flags);
    }

    @Override
    public String correlationId() {
        return scanId.toString();
    }

    /** Identity of the exclusion within its tenant: (policy, principal, path). Stable across scans. */
    @JsonIgnore
    public String exclusionKey() {
        return policy.id() + "|" + principal.type().name() + ":" + principal.id() + "|" + via.pathKey();
    }
}
