-- Whole-policy facts of ExclusionDetected (issue 13), kept with each exclusion as its latest detection carried them.
-- Rows detected before stay null ('unknown'): they alert as before.
alter table exclusion
    add column policy_custom_control varchar(512),   -- policy.customControl, for mfa_requirement CUSTOM_CONTROL
    add column in_scope              boolean,        -- false: the include side does not target the principal (cleanup)
    add column policy_target         text,           -- allApps, apps:<ids>, userAction:<action>, authContext:<id>
    add column eligible              boolean,        -- reached through a PIM-eligible role or group membership
    add column shadowed              boolean,        -- another enabled, hole-free all-apps MFA policy still applies
    add column closed_by_id          varchar(128),   -- an enabled policy closing this hole (e.g. a legacy-auth block)
    add column closed_by_name        varchar(512),
    add column details               text,           -- JSON object of strings: facts about a hole
    add column flags                 text;           -- JSON array of strings
