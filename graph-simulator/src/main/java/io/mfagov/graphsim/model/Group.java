package io.mfagov.graphsim.model;

import java.util.List;

/**
 * A group; {@code members} are direct member ids (users, groups, service principals; may dangle or cycle). The member
 * list is thread-safe and changes when Graph adds or removes a member ({@code /members/$ref}).
 */
public record Group(
        String id,
        String displayName,
        String description,
        boolean securityEnabled,
        boolean mailEnabled,
        String mailNickname,
        boolean isAssignableToRole,
        List<String> groupTypes,
        String createdDateTime,
        List<String> members,
        Boolean onPremisesSyncEnabled,
        String membershipRule) implements DirectoryObject {

    @Override
    public String type() {
        return "group";
    }

    /** Membership computed from {@link #membershipRule} (groupTypes contains "DynamicMembership"). */
    public boolean dynamic() {
        return groupTypes.stream().anyMatch("DynamicMembership"::equalsIgnoreCase);
    }

    /** Synchronised from on-premises Active Directory. */
    public boolean synced() {
        return Boolean.TRUE.equals(onPremisesSyncEnabled);
    }
}
