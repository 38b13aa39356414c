package io.mfagov.graphsim.model;

/**
 * A PIM eligible role assignment as Graph lists it (unifiedRoleEligibilityScheduleInstance, docs-contrib
 * api-reference/v1.0/resources/unifiedroleeligibilityscheduleinstance.md); roleDefinitionId = built-in role template id.
 */
public record RoleEligibility(String id, String principalId, String roleDefinitionId, String directoryScopeId,
                              String appScopeId, String startDateTime, String endDateTime, String memberType,
                              String roleEligibilityScheduleId) {
}
