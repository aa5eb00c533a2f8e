-- Token buckets of the login throttle and the tenants' rate limits (Bucket4j's PostgreSQL proxy manager),
-- shared by every gateway instance. Keys are a short prefix and a SHA-256, so no client controls their size.
-- expires_at (epoch milliseconds) is when the bucket would be full again: from then on it is the same as
-- no bucket, and the purge deletes it.
CREATE TABLE rate_limit_bucket (
    id         VARCHAR(96) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX rate_limit_bucket_expires_at ON rate_limit_bucket (expires_at);

-- Clients that logged in successfully as a user (a hash of the client network and the username): they keep
-- their own allowance when others guess that user's password.
CREATE TABLE login_known_client (
    id         VARCHAR(96) PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_known_client_expires_at ON login_known_client (expires_at);
