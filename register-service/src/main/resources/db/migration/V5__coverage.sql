-- What each scan found about a tenant's effective MFA coverage (CoverageObserved, issue 13): one row per (tenant, scan),
-- the uncovered users it listed in uncovered_user. A tenant's latest coverage is its row with the latest observed_at.
create table coverage (
    scan_id                   uuid         primary key,
    tenant_id                 varchar(36)  not null,            -- lower case
    security_defaults_enabled boolean,                          -- null: could not be read
    enabled_mfa_policies      integer      not null,
    report_only_mfa_policies  integer      not null,
    all_users_covered         boolean,                          -- null: undecided (a read failed)
    enabled_users             integer,
    uncovered_user_count      integer      not null,            -- may exceed the users listed (truncated)
    truncated                 boolean      not null,
    findings                  varchar(512) not null default '', -- comma separated CoverageFinding names: NO_MFA_ENFORCEMENT
    observed_at               timestamptz  not null,            -- when the scan decided it (scanner clock)
    received_at               timestamptz  not null,
    constraint coverage_tenant_scan_uq unique (tenant_id, scan_id)
);
create index coverage_tenant_observed_idx on coverage (tenant_id, observed_at desc, received_at desc);

create table uncovered_user (
    scan_id             uuid         not null references coverage (scan_id) on delete cascade,
    user_id             varchar(256) not null,
    user_principal_name varchar(512),
    display_name        varchar(512),
    user_type           varchar(16),
    reason              varchar(32)  not null,  -- EXCLUDED_EVERYWHERE IN_NO_INCLUDE ONLY_REPORT_ONLY ONLY_PARTIAL_POLICIES
    privileged          boolean,                -- holds a directory role, active or eligible (null: roles not read)
    primary key (scan_id, user_id)
);

-- ScanCompleted.notes: what the scan could not read without being PARTIAL (e.g. PIM without the licence), a JSON array.
alter table scan add column notes text;
