package io.mfagov.graphsim.model;

/**
 * A PIM for Groups eligibility as Graph lists it (privilegedAccessGroupEligibilityScheduleInstance, docs-contrib
 * api-reference/v1.0/resources/privilegedaccessgroupeligibilityscheduleinstance.md); accessId member or owner.
 */
public record GroupEligibility(String id, String groupId, String principalId, String accessId, String memberType,
                               String startDateTime, String endDateTime, String eligibilityScheduleId) {
}
