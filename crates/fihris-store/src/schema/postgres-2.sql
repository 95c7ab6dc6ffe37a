-- fihris store, schema 2 (PostgreSQL): API keys. The same table as sqlite-2.sql.
CREATE TABLE keys (
    prefix     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'publisher')),
    hash       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
