-- MFA gap signals (issue 14), per scan, with history (a user's trend across scans is what a QBR shows).
-- A scan's posture (TenantPostureObserved): the sign-in window read and each signal that could not be read.
create table posture (
    scan_id             uuid         primary key,
    tenant_id           varchar(36)  not null,  -- lower case
    sign_in_window_days integer,
    window_start        timestamptz,
    window_end          timestamptz,
    not_registered      integer,
    not_capable         integer,
    single_factor_users integer,
    per_user_mfa_only   integer,
    sign_ins_read       bigint,
    single_factor_sign_ins bigint,
    missing_signals     text         not null default '[]', -- JSON array of {signal, reason}
    observed_at         timestamptz  not null,             -- scanner clock
    received_at         timestamptz  not null
);
create index posture_tenant_observed_idx on posture (tenant_id, observed_at desc, received_at desc);

-- MfaGapDetected: one row per (tenant, scan, user, kind).
create table mfa_gap (
    tenant_id           varchar(36)  not null,
    scan_id             uuid         not null,
    user_id             varchar(256) not null,
    kind                varchar(32)  not null,  -- NOT_REGISTERED NOT_CAPABLE SINGLE_FACTOR_SIGNINS PER_USER_MFA_ONLY
    user_principal_name varchar(512),
    display_name        varchar(512),
    user_type           varchar(16),
    privileged          boolean,
    count               integer,
    first_seen          timestamptz,
    last_seen           timestamptz,
    apps                text         not null default '[]', -- JSON arrays
    client_apps         text         not null default '[]',
    locations           text         not null default '[]',
    ip_addresses        text         not null default '[]',
    default_method      varchar(128),
    methods_registered  text         not null default '[]',
    per_user_mfa_state  varchar(32),
    detail              text,
    observed_at         timestamptz  not null,
    received_at         timestamptz  not null,
    primary key (tenant_id, scan_id, user_id, kind)
);
create index mfa_gap_scan_idx on mfa_gap (scan_id);
create index mfa_gap_tenant_user_idx on mfa_gap (tenant_id, user_id, kind);

-- ExclusionUsageObserved: the evidence of use of an excluded principal, one row per (tenant, scan, principal).
create table exclusion_usage (
    tenant_id                 varchar(36)  not null,
    scan_id                   uuid         not null,
    principal_type            varchar(32)  not null,
    principal_id              varchar(256) not null,
    window_days               integer      not null,
    last_sign_in              timestamptz,
    last_single_factor_sign_in timestamptz,
    sign_ins                  integer      not null,
    single_factor_sign_ins    integer      not null,
    observed_at               timestamptz  not null,
    received_at               timestamptz  not null,
    primary key (tenant_id, scan_id, principal_type, principal_id)
);
create index exclusion_usage_principal_idx on exclusion_usage (tenant_id, principal_type, principal_id, observed_at desc);
