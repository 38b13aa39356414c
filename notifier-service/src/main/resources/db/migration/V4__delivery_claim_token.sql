-- The claim holding a delivery's lease: a random token, new with every claim. An outcome is recorded only
-- while the row still carries its claim's token, so a worker whose lease ran out (and whose rows another
-- claim took back) cannot overwrite the newer claim's outcome.
alter table delivery add column claim_token uuid;
