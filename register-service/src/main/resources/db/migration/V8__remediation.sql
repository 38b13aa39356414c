-- Remediation (issue 15): the register removes an exclusion from the tenant when its exception expired past the
-- tenant's grace period or was retired, with a dry run, four-eyes approval, an audit record and a rollback. The scanner
-- (which holds the Graph credentials) plans and writes; the register decides and records (service.Remediations).

-- Tenant enforcement settings: opt-in, off by default. enforcement_status is the last answer's verdict: PERMITTED
-- after an applied write, NOT_PERMITTED (with the permissions to grant) after ENFORCEMENT_NOT_PERMITTED.
alter table tenant
    add column enforcement_enabled           boolean       not null default false,
    add column auto_apply_expiry             boolean       not null default false,
    add column group_membership_removal      boolean       not null default false,
    add column enforcement_grace_days        integer       not null default 7 check (enforcement_grace_days between 0 and 365),
    add column enforcement_status            varchar(16)   not null default 'UNKNOWN'
        check (enforcement_status in ('UNKNOWN', 'PERMITTED', 'NOT_PERMITTED')),
    add column enforcement_missing_permissions text        not null default '[]', -- JSON array of strings
    add column enforcement_checked_at        timestamptz;

create table remediation (
    id                      uuid          primary key,
    tenant_id               varchar(36)   not null,   -- lower case
    exclusion_id            uuid          not null,
    exclusion_key           varchar(2048) not null,
    exception_id            uuid,
    policy_id               varchar(256)  not null,
    policy_name             varchar(512),
    principal_type          varchar(32)   not null,
    principal_id            varchar(256)  not null,
    principal_name          varchar(512),
    via_kind                varchar(32)   not null,
    via_path                varchar(4096),
    reason                  varchar(16)   not null,   -- RemediationReason: EXPIRED, RETIRED
    status                  varchar(24)   not null,   -- Remediation.Status
    plan                    text,                     -- RemediationPlan as JSON (incl. patchBody: the dry run)
    plan_kind               varchar(24),
    pending_request_id      uuid,                     -- the latest request; only its answer is acted on
    requested_by            varchar(256)  not null,
    requested_at            timestamptz   not null,
    approved_by             varchar(256),
    approved_at             timestamptz,
    rollback_requested_by   varchar(256),
    rollback_requested_at   timestamptz,
    rollback_approved_by    varchar(256),
    rollback_approved_at    timestamptz,
    list_name               varchar(32),
    before_ids              text,                     -- JSON array: the list right before the latest write
    after_ids               text,                     -- JSON array: as read back after it
    modified_before         varchar(64),
    modified_after          varchar(64),              -- what a rollback expects (with users_after)
    users_after             text,                     -- JSON object: conditions.users as the removal left it
    unexpected_changes      text          not null default '[]', -- JSON array of JSON paths (conflict when non-empty)
    policy_before           text,                     -- JSON: both versions of a conflict
    policy_after            text,
    failure_reason          varchar(32),              -- RemediationFailure
    failure_message         varchar(2048),
    missing_permissions     text          not null default '[]',
    applied_at              timestamptz,
    rolled_back_at          timestamptz,
    confirmed_at            timestamptz,
    updated_at              timestamptz   not null,
    version                 bigint        not null default 0
);
-- The list of a tenant's remediations (optionally by status), newest first.
create index remediation_tenant_idx on remediation (tenant_id, status, requested_at desc);
create index remediation_exception_idx on remediation (exception_id);
-- At most one open remediation per exclusion (planning, waiting for approval or a person, being written, written but not
-- yet confirmed by a scan, or its rollback under way).
create unique index remediation_open_uq on remediation (exclusion_id)
    where status in ('PLANNING', 'PLANNED', 'MANUAL', 'APPLYING', 'APPLIED', 'ROLLBACK_PLANNED', 'ROLLING_BACK');
