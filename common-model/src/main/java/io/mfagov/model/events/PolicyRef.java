package io.mfagov.model.events;

import io.mfagov.model.Require;

/**
 * The Conditional Access policy an exclusion belongs to.
 *
 * @param id                     policy id
 * @param displayName            policy name
 * @param state                  ENABLED or REPORT_ONLY (disabled policies are not reported)
 * @param mfaRequirement         how the policy requires MFA
 * @param authenticationStrength display name of the required authentication strength, if any
 */
public record PolicyRef(
        String id,
        String displayName,
        PolicyState state,
        MfaRequirement mfaRequirement,
        String authenticationStrength) {

    public PolicyRef {
        Require.text(id, "policy.id");
        Require.present(state, "policy.state");
        Require.present(mfaRequirement, "policy.mfaRequirement");
    }
}
