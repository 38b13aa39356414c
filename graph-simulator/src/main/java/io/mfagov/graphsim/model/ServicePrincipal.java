package io.mfagov.graphsim.model;

/** A service principal (enterprise app) of a tenant. */
public record ServicePrincipal(
        String id,
        String appId,
        String displayName,
        String servicePrincipalType,
        boolean accountEnabled,
        String appOwnerOrganizationId) implements DirectoryObject {

    @Override
    public String type() {
        return "servicePrincipal";
    }
}
