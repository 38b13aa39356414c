package io.mfagov.graphsim.model;

/** A directory object of a tenant: user, group or service principal. */
public sealed interface DirectoryObject permits User, Group, ServicePrincipal {
    String id();

    /** "user", "group" or "servicePrincipal". */
    String type();

    default String odataType() {
        return "#microsoft.graph." + type();
    }
}
