-- The shared API-key component (service-keys). A key's name is its actor (apikey:<name>) and is unique forever,
-- case-insensitively, revoked keys included (the notifier's service already refused reuse; the index now says so).
drop index if exists api_key_active_name_uq;
create unique index api_key_name_lower_uq on api_key (lower(name));

-- Writes made with a named key were recorded as apikey:apikey:<name> (the notifier's key store added the prefix the
-- identity provider adds again). Recorded actors now read apikey:<name>, as in the register's audit trail.
update destination set created_by = substr(created_by, 8) where created_by like 'apikey:apikey:%';
update destination set updated_by = substr(updated_by, 8) where updated_by like 'apikey:apikey:%';
update mute        set created_by = substr(created_by, 8) where created_by like 'apikey:apikey:%';
update api_key     set created_by = substr(created_by, 8) where created_by like 'apikey:apikey:%';
update api_key     set revoked_by = substr(revoked_by, 8) where revoked_by like 'apikey:apikey:%';
