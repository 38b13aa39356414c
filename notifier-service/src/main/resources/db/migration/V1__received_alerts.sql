-- Every alert the notifier has received, once per alert id: a replayed or redelivered alert
-- (same deterministic alertId) never produces a second row, so it is never delivered twice.
create table received_alert (
    alert_id    varchar(512) primary key,
    event_id    uuid         not null,
    tenant_id   varchar(36)  not null,
    kind        varchar(64)  not null,
    severity    varchar(16)  not null,
    subject     text         not null,
    raised_at   timestamptz  not null,
    received_at timestamptz  not null
);
create index received_alert_tenant_idx on received_alert (tenant_id, raised_at desc);
