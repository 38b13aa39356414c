package io.mfagov.graphsim.model;

/** An active unified role assignment; roleDefinitionId = built-in role template id. */
public record RoleAssignment(String id, String roleDefinitionId, String principalId, String directoryScopeId) {

    public boolean tenantWide() {
        return "/".equals(directoryScopeId);
    }
}
