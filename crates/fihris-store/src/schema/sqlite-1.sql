-- fihris store, schema 1 (SQLite). The same tables as postgres-1.sql.
CREATE TABLE sources (
    sha256 TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    text   TEXT NOT NULL
);
CREATE TABLE editions (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    source       TEXT NOT NULL REFERENCES sources(sha256),
    errata       TEXT REFERENCES sources(sha256),
    register     TEXT REFERENCES sources(sha256),
    parent       INTEGER REFERENCES editions(id),
    state        TEXT NOT NULL CHECK (state IN ('draft', 'published')),
    created_at   TEXT NOT NULL,
    published_at TEXT
);
CREATE UNIQUE INDEX one_draft ON editions(state) WHERE state = 'draft';
CREATE TABLE changes (
    id      INTEGER PRIMARY KEY,
    edition INTEGER NOT NULL REFERENCES editions(id),
    kind    TEXT NOT NULL,
    target  TEXT NOT NULL,
    body    TEXT NOT NULL,
    reason  TEXT NOT NULL,
    author  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT NOT NULL,
    after  TEXT NOT NULL,
    prev   TEXT NOT NULL,
    hash   TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER published_no_update BEFORE UPDATE ON editions
    WHEN OLD.state = 'published'
    BEGIN SELECT RAISE(ABORT, 'a published edition is immutable'); END;
CREATE TRIGGER published_no_delete BEFORE DELETE ON editions
    WHEN OLD.state = 'published'
    BEGIN SELECT RAISE(ABORT, 'a published edition is immutable'); END;
CREATE TRIGGER published_changes_no_insert BEFORE INSERT ON changes
    WHEN (SELECT state FROM editions WHERE id = NEW.edition) = 'published'
    BEGIN SELECT RAISE(ABORT, 'a published edition is immutable'); END;
CREATE TRIGGER published_changes_no_update BEFORE UPDATE ON changes
    WHEN (SELECT state FROM editions WHERE id = OLD.edition) = 'published'
    BEGIN SELECT RAISE(ABORT, 'a published edition is immutable'); END;
CREATE TRIGGER published_changes_no_delete BEFORE DELETE ON changes
    WHEN (SELECT state FROM editions WHERE id = OLD.edition) = 'published'
    BEGIN SELECT RAISE(ABORT, 'a published edition is immutable'); END;
