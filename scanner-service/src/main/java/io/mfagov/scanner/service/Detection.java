package io.mfagov.scanner.service;

import io.mfagov.model.events.PolicyRef;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.Via;

/** One principal excluded from one MFA-requiring policy through one path. */
public record Detection(PolicyRef policy, Principal principal, Via via) {

    /** (policy, principal, path): the register's identity of an exclusion. */
    public String key() {
        return policy.id() + "|" + principal.type().name() + ":" + principal.id() + "|" + via.pathKey();
    }
}
