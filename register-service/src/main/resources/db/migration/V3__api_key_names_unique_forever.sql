-- The shared API-key component (service-keys): a key's name is its actor (apikey:<name>) and is unique forever,
-- case-insensitively, revoked keys included. Existing keys are kept as they are.
create unique index api_key_name_lower_uq on api_key (lower(name));
