-- =============================================================================================
-- register-service schema. One migration while unreleased; later changes get V2, V3, ...
-- =============================================================================================

-- Tenant catalogue and scan schedule -----------------------------------------------------------
create table tenant (
    tenant_id              varchar(36)  primary key,           -- Entra tenant GUID, lower case
    display_name           varchar(256),
    psa_company_id         varchar(128),
    scan_interval_minutes  integer      not null default 1440 check (scan_interval_minutes >= 15),
    alert_route            varchar(256),                       -- a routing reference the notifier resolves
    credential_ref         varchar(128),                       -- name of the credential set (never a secret)
    enabled                boolean      not null default true,
    discovered             boolean      not null default false, -- created from scan results, not by a person
    last_scan_requested_at timestamptz,
    last_scan_finished_at  timestamptz,
    last_scan_status       varchar(16),
    failure_streak         integer      not null default 0,
    created_at             timestamptz  not null,
    created_by             varchar(256) not null,
    updated_at             timestamptz  not null,
    updated_by             varchar(256) not null
);
create index tenant_due_idx on tenant (enabled, last_scan_requested_at);
create index tenant_psa_idx on tenant (psa_company_id);

-- Scans as the register saw them: detections counted as they arrive, then ScanCompleted ------------
create table scan (
    scan_id             uuid primary key,
    request_id          uuid,
    tenant_id           varchar(36)  not null,
    status              varchar(16)  not null,               -- RUNNING until ScanCompleted, then COMPLETE/PARTIAL/FAILED
    started_at          timestamptz,
    finished_at         timestamptz,
    detection_count     integer,                             -- what the scanner says it published
    received_count      integer      not null default 0,     -- what the register received
    graph_request_count integer,
    error               text,
    reconciliation      varchar(32),                         -- SWEPT, COUNT_MISMATCH, NOT_COMPLETE
    removed_count       integer      not null default 0,
    first_received_at   timestamptz  not null,
    completed_at        timestamptz
);
create index scan_tenant_finished_idx on scan (tenant_id, finished_at desc);

-- Exclusions: detected facts, one row per (tenant, policy, principal, path) -------------------------
create table exclusion (
    id                     uuid primary key,
    tenant_id              varchar(36)   not null,
    exclusion_key          varchar(2048) not null,            -- ExclusionDetected.exclusionKey()
    policy_id              varchar(128)  not null,
    policy_name            varchar(512),
    policy_state           varchar(16),
    mfa_requirement        varchar(32),
    principal_type         varchar(32)   not null,
    principal_id           varchar(256)  not null,
    principal_upn          varchar(512),
    principal_display_name varchar(512),
    principal_user_type    varchar(16),
    account_enabled        boolean,
    resolved               boolean       not null,
    via_kind               varchar(32)   not null,
    via_id                 varchar(256)  not null,
    via_display_name       varchar(512),
    via_path_ids           varchar(4096) not null,            -- ids of via.path, space separated, for coverage
    via_path               varchar(4096) not null,            -- readable: group:Legacy Scanners > group:Scanner Hosts
    first_seen_at          timestamptz   not null,
    appeared_at            timestamptz   not null,            -- first seen, or seen again after removal
    last_seen_at           timestamptz   not null,
    last_scan_id           uuid          not null,
    removed_at             timestamptz,
    removed_by_scan_id     uuid,
    status                 varchar(16)   not null,            -- APPROVED PENDING UNAPPROVED EXPIRING EXPIRED REMOVED
    exception_id           uuid,                              -- the exception deciding the status
    category               varchar(64),
    expires_at             timestamptz,
    constraint exclusion_key_uq unique (tenant_id, exclusion_key)
);
create index exclusion_tenant_status_idx on exclusion (tenant_id, status, first_seen_at, id);
create index exclusion_tenant_first_seen_idx on exclusion (tenant_id, first_seen_at, id);
create index exclusion_first_seen_idx on exclusion (first_seen_at, id);
create index exclusion_last_seen_idx on exclusion (last_seen_at, id);
create index exclusion_status_idx on exclusion (status, first_seen_at, id);
create index exclusion_category_idx on exclusion (category);
create index exclusion_policy_idx on exclusion (tenant_id, policy_id);
create index exclusion_principal_idx on exclusion (principal_id);
create index exclusion_expires_idx on exclusion (expires_at) where expires_at is not null;
create index exclusion_present_idx on exclusion (tenant_id, last_scan_id) where removed_at is null;

-- Exceptions: the governance record ------------------------------------------------------------------
create table exception_record (
    id                uuid primary key,
    tenant_id         varchar(36)   not null,
    policy_id         varchar(128),                           -- null: every policy of the tenant
    category          varchar(64)   not null,
    justification     varchar(4000) not null,
    ticket_ref        varchar(128),
    status            varchar(16)   not null,                 -- REQUESTED APPROVED REJECTED REVOKED EXPIRED SUPERSEDED
    orphaned          boolean       not null default false,   -- approved, but covers no present exclusion
    requested_by      varchar(256)  not null,
    requested_at      timestamptz   not null,
    approved_by       varchar(256),
    approved_at       timestamptz,
    decided_by        varchar(256),                           -- rejected or revoked by
    decided_at        timestamptz,
    decision_reason   varchar(4000),
    expires_at        timestamptz   not null,
    next_review_at    timestamptz,
    last_reviewed_by  varchar(256),
    last_reviewed_at  timestamptz,
    reviewer_notes    varchar(4000),
    renewal_of        uuid references exception_record (id),
    version           bigint        not null default 0
);
create index exception_tenant_status_idx on exception_record (tenant_id, status);
create index exception_status_expires_idx on exception_record (status, expires_at);
create index exception_review_idx on exception_record (status, next_review_at);
create index exception_category_idx on exception_record (category);
create index exception_requested_by_idx on exception_record (requested_by);

create table exception_principal (
    exception_id   uuid         not null references exception_record (id),
    principal_id   varchar(256) not null,
    principal_type varchar(32)  not null,
    display_name   varchar(512),
    primary key (exception_id, principal_id)
);
create index exception_principal_id_idx on exception_principal (principal_id);

-- Audit trail: append-only, hash-chained ----------------------------------------------------------------
create table audit_event (
    seq          bigint        primary key,                   -- chain order (assigned under an advisory lock)
    id           uuid          not null unique,
    occurred_at  timestamptz   not null,
    tenant_id    varchar(36),
    actor        varchar(256)  not null,
    action       varchar(64)   not null,
    subject_type varchar(32)   not null,
    subject_id   varchar(256)  not null,
    details      text          not null,                      -- JSON, stored as written (hashed as text)
    prev_hash    varchar(64)   not null,
    hash         varchar(64)   not null
);
create sequence audit_event_seq;
create index audit_tenant_time_idx on audit_event (tenant_id, occurred_at);
create index audit_actor_time_idx on audit_event (actor, occurred_at);
create index audit_time_idx on audit_event (occurred_at);
create index audit_subject_idx on audit_event (subject_id, seq);

create function audit_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only: % refused', tg_op;
end;
$$;
create trigger audit_event_no_update_delete before update or delete on audit_event
    for each row execute function audit_event_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_append_only();

-- Transactional outbox: written with the state change, relayed to Kafka afterwards ------------------------
create table outbox (
    id           bigserial     primary key,
    event_id     uuid          not null unique,
    dedup_key    varchar(1024) not null unique,               -- alertId for alerts, requestId for scan requests
    topic        varchar(128)  not null,
    message_key  varchar(128)  not null,
    event_type   varchar(64)   not null,
    payload      text          not null,                      -- the JSON envelope
    created_at   timestamptz   not null,
    sent_at      timestamptz,
    attempts     integer       not null default 0,
    last_error   varchar(1024)
);
create index outbox_unsent_idx on outbox (id) where sent_at is null;

-- Inbox: every processed event id, written in the same transaction as its effects --------------------------
create table processed_event (
    event_id     uuid primary key,
    event_type   varchar(64) not null,
    tenant_id    varchar(36) not null,
    processed_at timestamptz not null
);

-- API keys for PSAs: only the SHA-256 of the key is stored --------------------------------------------------
create table api_key (
    id          uuid         primary key,
    name        varchar(128) not null unique,
    key_hash    varchar(64)  not null unique,
    roles       varchar(256) not null,                        -- comma separated
    created_by  varchar(256) not null,
    created_at  timestamptz  not null,
    revoked_by  varchar(256),
    revoked_at  timestamptz
);
