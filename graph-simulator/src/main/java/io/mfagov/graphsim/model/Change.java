package io.mfagov.graphsim.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One successful write to a tenant, as the simulator's change log records it.
 *
 * @param kind     {@link #POLICY_UPDATE}, {@link #MEMBER_REMOVED} or {@link #MEMBER_ADDED}
 * @param targetId the policy id, or the group id for membership changes
 * @param memberId the member removed or added (membership changes), else null
 * @param before   the whole policy before (policy updates) or {"members":[direct member ids]} of the group
 * @param after    the same after the write
 * @param actor    the writing token's app id, or {@link #CONCURRENT_ADMIN} for a simulated edit by another administrator
 */
public record Change(Instant time, String tenantId, String kind, String targetId, String memberId, JsonNode before,
                     JsonNode after, String actor) {
    public static final String POLICY_UPDATE = "policyUpdate";
    public static final String MEMBER_REMOVED = "memberRemoved";
    public static final String MEMBER_ADDED = "memberAdded";
    public static final String CONCURRENT_ADMIN = "concurrent-admin";
}
