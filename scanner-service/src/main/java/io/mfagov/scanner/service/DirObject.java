package io.mfagov.scanner.service;

import com.microsoft.graph.models.DirectoryObject;
import com.microsoft.graph.models.Group;
import com.microsoft.graph.models.ServicePrincipal;
import com.microsoft.graph.models.User;

/** The few properties of a directory object the scanner needs (users, groups, service principals). */
public record DirObject(String id, Kind kind, String displayName, String userPrincipalName, String userType,
                        Boolean accountEnabled, String appId) {

    public enum Kind { USER, GROUP, SERVICE_PRINCIPAL, OTHER }

    public static DirObject user(String id, String displayName, String upn, String userType, Boolean enabled) {
        return new DirObject(id, Kind.USER, displayName, upn, userType, enabled, null);
    }

    public static DirObject group(String id, String displayName) {
        return new DirObject(id, Kind.GROUP, displayName, null, null, null, null);
    }

    public static DirObject servicePrincipal(String id, String displayName, String appId, Boolean enabled) {
        return new DirObject(id, Kind.SERVICE_PRINCIPAL, displayName, null, null, enabled, appId);
    }

    /** From the SDK's model; null when the object has no id (malformed answer). */
    public static DirObject of(DirectoryObject o) {
        if (o == null || o.getId() == null || o.getId().isBlank()) {
            return null;
        }
        if (o instanceof User u) {
            return user(u.getId(), u.getDisplayName(), u.getUserPrincipalName(), u.getUserType(), u.getAccountEnabled());
        }
        if (o instanceof Group g) {
            return group(g.getId(), g.getDisplayName());
        }
        if (o instanceof ServicePrincipal s) {
            return servicePrincipal(s.getId(), s.getDisplayName(), s.getAppId(), s.getAccountEnabled());
        }
        Object name = o.getAdditionalData() == null ? null : o.getAdditionalData().get("displayName");
        return new DirObject(o.getId(), Kind.OTHER, name == null ? null : name.toString(), null, null, null, null);
    }
}
