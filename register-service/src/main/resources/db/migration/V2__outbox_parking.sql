-- Outbox rows that failed too often (register.outbox.max-attempts) are parked: skipped by the relay so that later rows
-- flow, kept for an operator (README, operations notes), shown by the readiness check.
alter table outbox add column parked_at timestamptz;
drop index outbox_unsent_idx;
create index outbox_unsent_idx on outbox (id) where sent_at is null and parked_at is null;
create index outbox_parked_idx on outbox (id) where parked_at is not null;
