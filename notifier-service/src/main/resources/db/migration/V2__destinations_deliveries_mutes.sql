-- The alert itself, so deliveries can be (re)built from it at send time, and what mutes match on.
alter table received_alert
    add column exclusion_id varchar(512),
    add column exception_id varchar(512),
    add column payload      text;

-- Where alerts go. tenant_id null = the MSP default; a tenant's own destinations for a kind replace
-- the MSP defaults for that kind. URLs (Teams Workflows URLs carry a signature) and signing secrets
-- are stored AES-GCM encrypted; url_display is the URL without its query, safe to show.
create table destination (
    id                uuid          primary key,
    tenant_id         varchar(36),
    name              varchar(200)  not null,
    type              varchar(32)   not null check (type in ('TEAMS_WORKFLOW', 'WEBHOOK')),
    url_ciphertext    bytea         not null,
    url_display       varchar(2048) not null,
    secret_ciphertext bytea,
    kinds             varchar(512),
    min_severity      varchar(16)   not null,
    enabled           boolean       not null,
    created_at        timestamptz   not null,
    created_by        varchar(200)  not null,
    updated_at        timestamptz   not null,
    updated_by        varchar(200)  not null
);
create unique index destination_scope_name_uq on destination (coalesce(tenant_id, ''), lower(name));
create index destination_tenant_idx on destination (tenant_id);

-- One row per (alert, destination): the idempotency record. A replayed alert finds its row and
-- adds nothing; a delivered row is never sent again.
create table delivery (
    id               uuid          primary key,
    alert_id         varchar(512)  not null references received_alert (alert_id),
    destination_id   uuid          not null references destination (id) on delete cascade,
    tenant_id        varchar(36)   not null,
    kind             varchar(64)   not null,
    severity         varchar(16)   not null,
    mode             varchar(16)   not null check (mode in ('IMMEDIATE', 'DIGEST')),
    status           varchar(16)   not null check (status in ('PENDING', 'DELIVERED', 'DEAD', 'MUTED')),
    attempts         integer       not null,
    next_attempt_at  timestamptz   not null,
    lease_until      timestamptz,
    deadline_at      timestamptz   not null,
    created_at       timestamptz   not null,
    raised_at        timestamptz   not null,
    last_attempt_at  timestamptz,
    delivered_at     timestamptz,
    dead_at          timestamptz,
    last_status_code integer,
    last_error       varchar(2000),
    mute_id          uuid,
    constraint delivery_alert_destination_uq unique (alert_id, destination_id)
);
create index delivery_due_idx on delivery (destination_id, next_attempt_at) where status = 'PENDING';
create index delivery_status_idx on delivery (status, created_at desc);
create index delivery_tenant_idx on delivery (tenant_id, created_at desc);
create index delivery_alert_idx on delivery (alert_id);

-- Snoozes: a tenant, an exclusion or an alert kind (or a combination) until a date.
create table mute (
    id           uuid          primary key,
    tenant_id    varchar(36),
    exclusion_id varchar(512),
    kind         varchar(64),
    until        timestamptz   not null,
    reason       varchar(1000),
    created_at   timestamptz   not null,
    created_by   varchar(200)  not null,
    constraint mute_has_scope check (tenant_id is not null or exclusion_id is not null or kind is not null)
);
create index mute_until_idx on mute (until);
