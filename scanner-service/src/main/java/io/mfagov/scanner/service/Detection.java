package io.mfagov.scanner.service;

import io.mfagov.model.events.ClosingPolicy;
import io.mfagov.model.events.PolicyRef;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.Via;

import java.util.List;
import java.util.Map;

/**
 * One way past one MFA-requiring policy: a principal excluded through one path, or a hole of the policy itself
 * (via kind CONDITION). The extra facts are those of {@link io.mfagov.model.events.ExclusionDetected}.
 */
public record Detection(PolicyRef policy, Principal principal, Via via, Boolean inScope, String policyTarget,
                        Boolean eligible, Boolean shadowed, ClosingPolicy closedBy, Map<String, String> details,
                        List<String> flags) {

    public Detection {
        details = details == null ? Map.of() : Map.copyOf(details);
        flags = flags == null ? List.of() : List.copyOf(flags);
    }

    public Detection(PolicyRef policy, Principal principal, Via via) {
        this(policy, principal, via, null, null, null, null, null, null, null);
    }

    /** (policy, principal, path): the register's identity of an exclusion. */
    public String key() {
        return policy.id() + "|" + principal.type().name() + ":" + principal.id() + "|" + via.pathKey();
    }
}
