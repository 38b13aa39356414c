package io.mfagov.graphsim.model;

import java.util.List;

/** A group; {@code members} are direct member ids (users, groups, service principals; may dangle or cycle). */
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
        List<String> members) implements DirectoryObject {

    @Override
    public String type() {
        return "group";
    }
}
