-- fihris store, schema 1 (PostgreSQL). The same tables as sqlite-1.sql.
CREATE TABLE sources (
    sha256 TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    text   TEXT NOT NULL
);
CREATE TABLE editions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    source       TEXT NOT NULL REFERENCES sources(sha256),
    errata       TEXT REFERENCES sources(sha256),
    register     TEXT REFERENCES sources(sha256),
    parent       BIGINT REFERENCES editions(id),
    state        TEXT NOT NULL CHECK (state IN ('draft', 'published')),
    created_at   TEXT NOT NULL,
    published_at TEXT
);
CREATE UNIQUE INDEX one_draft ON editions(state) WHERE state = 'draft';
CREATE TABLE changes (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edition BIGINT NOT NULL REFERENCES editions(id),
    kind    TEXT NOT NULL,
    target  TEXT NOT NULL,
    body    TEXT NOT NULL,
    reason  TEXT NOT NULL,
    author  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE TABLE audit (
    id     BIGINT PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT NOT NULL,
    after  TEXT NOT NULL,
    prev   TEXT NOT NULL,
    hash   TEXT NOT NULL
);
CREATE FUNCTION fihris_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END $$;
CREATE FUNCTION fihris_published_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT state FROM editions
        WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.edition ELSE OLD.edition END) = 'published' THEN
        RAISE EXCEPTION 'a published edition is immutable';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    FOR EACH ROW EXECUTE FUNCTION fihris_refuse('the audit log is append-only');
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION fihris_refuse('the audit log is append-only');
CREATE TRIGGER published_no_update BEFORE UPDATE ON editions
    FOR EACH ROW WHEN (OLD.state = 'published')
    EXECUTE FUNCTION fihris_refuse('a published edition is immutable');
CREATE TRIGGER published_no_delete BEFORE DELETE ON editions
    FOR EACH ROW WHEN (OLD.state = 'published')
    EXECUTE FUNCTION fihris_refuse('a published edition is immutable');
CREATE TRIGGER published_changes BEFORE INSERT OR UPDATE OR DELETE ON changes
    FOR EACH ROW EXECUTE FUNCTION fihris_published_changes();
