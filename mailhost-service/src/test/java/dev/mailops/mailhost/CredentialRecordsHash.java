package dev.mailops.mailhost;

/** Two fixed hashes in the form the credential topic carries (no login uses them). */
final class CredentialRecordsHash {
    static final String HASH_A = "{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K6/9xqPmf0UOIhhO4Pq3RQ6QYs5g1t4Zy6N2o0kC7sE";
    static final String HASH_B = "{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0b3RoZXJzYWx0$Q2xhc3NpY0hhc2hWYWx1ZUZvckJvYk9ubHkxMjM0NTY";

    private CredentialRecordsHash() {
    }
}
