-- The domains' own DKIM keys: the sealed private keys (from the restricted topic mailbox.credentials,
-- record key dkim:<keyId>) and the state of each domain's two selectors (from the Dkim* events of
-- mailbox.events). The key writer opens each live key and writes it as a file for the signer
-- (OpenDKIM), and records where in dkim_key_file; the signer reads the views of V5.

-- A private key as delivered: sealed with AES-256-GCM under the deployment's DKIM key-encryption key
-- (the keyId as associated data), so it is encrypted at rest here too. A tombstone deletes the row.
create table dkim_private_key (
    key_id             uuid         primary key,
    domain             varchar(253) not null,
    selector           varchar(63)  not null,
    algorithm          varchar(32)  not null check (algorithm in ('rsa-sha256', 'ed25519-sha256')),
    sealed_private_key text         not null,
    received_at        timestamptz  not null
);

-- The key under each selector of a domain and its state: generated (published in DNS soon), published
-- (DNS serves it), active (signs the domain's mail), retiring (replaced by the other selector, still
-- published until retires_at). A retired key's row goes; the fresh key of the selector takes its place.
create table dkim_selector (
    domain       varchar(253) not null,
    selector     varchar(63)  not null,
    key_id       uuid         not null unique,
    algorithm    varchar(32)  not null,
    record       text         not null,
    state        varchar(16)  not null check (state in ('generated', 'published', 'active', 'retiring')),
    generated_at timestamptz  not null,
    published_at timestamptz,
    activated_at timestamptz,
    retires_at   timestamptz,
    primary key (domain, selector)
);
-- At most one selector of a domain signs.
create unique index dkim_selector_one_active on dkim_selector (domain) where state = 'active';

-- Where the key writer wrote a live key, opened, for the signer: what it did on this mail host, so a
-- replay (which rebuilds the two tables above) leaves it alone, and the writer corrects it.
create table dkim_key_file (
    key_id     uuid        primary key,
    path       text        not null,
    written_at timestamptz not null
);
