-- Shared, room and resource mailboxes of a tenant (issue 14): Graph marks no account as such, so the register keeps the
-- list. An entry names one user (object id) or a UPN pattern (glob: * and ?, case-insensitive). Gaps of listed accounts
-- are reported apart, never counted as gaps by default (service.SharedMailboxes).
create table shared_mailbox (
    id          uuid          primary key,
    tenant_id   varchar(36)   not null,   -- lower case
    user_id     varchar(36),              -- lower case GUID
    upn_pattern varchar(256),             -- lower case
    note        varchar(1024),
    added_by    varchar(256)  not null,
    added_at    timestamptz   not null,
    constraint shared_mailbox_one_entry check ((user_id is null) <> (upn_pattern is null))
);
create unique index shared_mailbox_entry_uq on shared_mailbox (tenant_id, coalesce(user_id, upn_pattern));
