package io.mfagov.graphsim.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** A user of a tenant (compact: the generator holds millions of them). */
public record User(
        String id,
        String userPrincipalName,
        String displayName,
        String givenName,
        String surname,
        String mail,
        String jobTitle,
        String userType,
        boolean accountEnabled,
        String creationType,
        String externalUserState,
        String createdDateTime,
        Boolean onPremisesSyncEnabled,
        List<String> methodsRegistered,
        boolean mfaRegistered,
        boolean mfaCapable,
        boolean passwordlessCapable,
        boolean ssprRegistered,
        String preferredSecondaryMethod,
        String registrationUpdated,
        List<ObjectNode> authenticationMethods,
        /** Legacy per-user MFA: disabled, enabled or enforced (beta /users/{id}/authentication/requirements). */
        String perUserMfaState) implements DirectoryObject {

    @Override
    public String type() {
        return "user";
    }

    public boolean isGuest() {
        return "Guest".equalsIgnoreCase(userType);
    }
}
