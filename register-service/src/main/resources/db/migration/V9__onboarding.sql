-- Onboarding (issue 16): each tenant's access as the scanner's check found it (token request and roles claim, before
-- any read), and what the partner tenant's discovery says about it (contracts, GDAP relationships). Written by the
-- intake with targeted UPDATEs only (service.Onboarding), never by the tenant API.

alter table tenant
    -- AccessStatus of the latest scan that checked (null: never checked); the episode of an ACCESS_PROBLEM alert is
    -- the scan that began it (a new status or another set of missing permissions begins a new one).
    add column access_status              varchar(32),
    add column access_detail              varchar(2048),
    add column access_consent_url         varchar(1024),
    add column access_missing_permissions text         not null default '[]', -- JSON arrays of strings
    add column access_disabled_reads      text         not null default '[]',
    add column access_granted_permissions text         not null default '[]',
    add column access_checked_at          timestamptz,                         -- the scan's finishedAt (scanner clock)
    add column access_episode_scan_id     uuid,
    -- Discovery: set when a discovery listed the tenant (discovered = registered by the register, not a person, until an
    -- admin adopts it with PUT/POST).
    add column discovered_at              timestamptz,
    add column discovery_last_seen_at     timestamptz,
    add column discovery_partner_tenant_id varchar(36),
    add column name_source                varchar(32),
    add column default_domain             varchar(256),
    add column contract_type              varchar(64),
    add column relationship_status        varchar(16)
        check (relationship_status in ('ACTIVE', 'EXPIRING', 'ENDED', 'PENDING', 'NONE')),
    add column relationship_ends_at       timestamptz,
    add column relationship_auto_extends  boolean,
    add column relationships              text         not null default '[]'; -- JSON: DelegatedRelationship list
create index tenant_access_idx on tenant (access_status);

-- One row per discovery asked for (API, scheduler) or answered (a discovery the scanner ran by itself gets a row when
-- its first answer arrives).
create table discovery_run (
    request_id          uuid          primary key,
    discovery_id        uuid,
    partner_tenant_id   varchar(36)   not null,
    requested_at        timestamptz   not null,
    requested_by        varchar(256)  not null,
    completed_at        timestamptz,
    status              varchar(16)   not null,   -- REQUESTED, then ScanStatus of DiscoveryCompleted
    customers           integer       not null default 0, -- CustomerDiscovered received
    new_tenants         integer       not null default 0,
    ended               integer       not null default 0, -- relationships found ended by this run
    access_status       varchar(32),              -- of the partner tenant
    missing_permissions text          not null default '[]',
    error               varchar(2048)
);
create index discovery_run_requested_idx on discovery_run (requested_at desc);
create unique index discovery_run_discovery_idx on discovery_run (discovery_id);
