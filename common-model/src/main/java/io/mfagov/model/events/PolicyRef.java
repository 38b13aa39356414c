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
 * @param customControl          for {@link MfaRequirement#CUSTOM_CONTROL}: the custom control's name or id
 */
public record PolicyRef(
        String id,
        String displayName,
        PolicyState state,
        MfaRequirement mfaRequirement,
        String authenticationStrength,
        String customControl) {

    public PolicyRef(String id, String displayName, PolicyState state, MfaRequirement mfaRequirement,
            String authenticationStrength) {
        this(id, displayName, state, mfaRequirement, authenticationStrength, null);
    }

    public PolicyRef {
        Require.text(id, "policy.id");
        Require.present(state, "policy.state");
        Require.present(mfaRequirement, "policy.mfaRequirement");
    }
}
