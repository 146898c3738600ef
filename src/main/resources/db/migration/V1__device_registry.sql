-- The device registry: one row per device, its secret encrypted with AES-256-GCM (docs/registry.md).
-- Portable SQL: the same script runs on H2 (the embedded default) and PostgreSQL.
create table device (
    product_key       varchar(32)              not null,
    device_name       varchar(32)              not null,
    -- id (fingerprint) of the master key that encrypted secret_sealed
    key_id            varchar(16)              not null,
    -- base64 of the 12-byte nonce followed by the ciphertext and the 16-byte tag; never the secret itself
    secret_sealed     varchar(512)             not null,
    description       varchar(256),
    created_at        timestamp with time zone not null,
    updated_at        timestamp with time zone not null,
    constraint device_pk primary key (product_key, device_name)
);

-- re-encryption after a key rotation looks rows up by key
create index device_key_id on device (key_id);
