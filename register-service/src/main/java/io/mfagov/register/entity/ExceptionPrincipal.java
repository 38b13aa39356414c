package io.mfagov.register.entity;

import jakarta.persistence.Embeddable;

/** A principal an exception names: a user, or a group/role whose members it covers. */
@Embeddable
public class ExceptionPrincipal {

    public String principalId;
    public String principalType;
    public String displayName;

    public ExceptionPrincipal() {
    }

    public ExceptionPrincipal(String principalId, String principalType, String displayName) {
        this.principalId = principalId;
        this.principalType = principalType;
        this.displayName = displayName;
    }
}
