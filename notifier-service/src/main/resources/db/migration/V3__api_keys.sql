-- API keys for PSAs and automation: only the SHA-256 of each key is stored; the key is shown once.
create table api_key (
    id         uuid         primary key,
    name       varchar(200) not null,
    key_hash   varchar(64)  not null unique,
    roles      varchar(200) not null,
    created_at timestamptz  not null,
    created_by varchar(200) not null,
    revoked_at timestamptz,
    revoked_by varchar(200)
);
create unique index api_key_active_name_uq on api_key (lower(name)) where revoked_at is null;
