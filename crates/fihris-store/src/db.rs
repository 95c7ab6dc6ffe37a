//! The two databases behind the store, behind one small interface: run a
//! statement, run a query and get its rows as [`Value`]s, open and close a
//! transaction, tell the time. Statements are written once, with `?1`,
//! `?2`… placeholders (PostgreSQL gets `$1`, `$2`…), in the SQL both
//! speak; only the schema (triggers differ) and the clock are each
//! backend's own.

use std::path::Path;

use crate::StoreError;

/// A value going in or coming out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// A whole number (or none).
    Int(Option<i64>),
    /// A text (or none).
    Text(Option<String>),
}

impl Value {
    /// A text.
    pub(crate) fn text(s: &str) -> Value {
        Value::Text(Some(s.to_owned()))
    }

    /// The number, if it is one.
    pub(crate) fn int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => *i,
            Value::Text(_) => None,
        }
    }

    /// The text, if it is one.
    pub(crate) fn str(&self) -> Option<&str> {
        match self {
            Value::Text(t) => t.as_deref(),
            Value::Int(_) => None,
        }
    }
}

/// A connection to one of the two databases.
pub(crate) enum Db {
    /// SQLite (bundled), the embedded default.
    Sqlite(rusqlite::Connection),
    /// PostgreSQL, the shared server.
    Postgres(Box<postgres::Client>),
}

/// The SQLite schema, one migration per version.
const SQLITE: [&str; 2] = [
    include_str!("schema/sqlite-1.sql"),
    include_str!("schema/sqlite-2.sql"),
];
/// The PostgreSQL schema, one migration per version (the same tables).
const POSTGRES: [&str; 2] = [
    include_str!("schema/postgres-1.sql"),
    include_str!("schema/postgres-2.sql"),
];

impl Db {
    /// Opens (creating) the SQLite file at `path`.
    pub(crate) fn sqlite(path: &Path) -> Result<Db, StoreError> {
        let conn = rusqlite::Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Db::Sqlite(conn))
    }

    /// Connects to PostgreSQL (`postgres://…` or `host=… user=…`).
    pub(crate) fn postgres(url: &str) -> Result<Db, StoreError> {
        let client = postgres::Client::connect(url, postgres::NoTls)?;
        Ok(Db::Postgres(Box::new(client)))
    }

    /// The schema's migrations for this database.
    pub(crate) fn migrations(&self) -> &'static [&'static str] {
        match self {
            Db::Sqlite(_) => &SQLITE,
            Db::Postgres(_) => &POSTGRES,
        }
    }

    /// Opens the transaction that reads the schema version and migrates:
    /// SQLite's write lock; on PostgreSQL a transaction-scoped advisory
    /// lock on the schema (read committed, so the version read after the
    /// wait sees what the process before committed).
    pub(crate) fn begin_schema(&mut self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(_) => self.batch("BEGIN IMMEDIATE"),
            Db::Postgres(c) => Ok(c.batch_execute(
                "BEGIN ISOLATION LEVEL READ COMMITTED; \
                 SELECT pg_advisory_xact_lock(hashtext('fihris schema ' || coalesce(current_schema(), '')))",
            )?),
        }
    }

    /// The schema version (0 for an empty database; inside
    /// [`Db::begin_schema`]'s transaction).
    pub(crate) fn version(&mut self) -> Result<i64, StoreError> {
        match self {
            Db::Sqlite(c) => Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?),
            Db::Postgres(c) => {
                c.batch_execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)",
                )?;
                let row = c.query_opt("SELECT max(version) FROM schema_version", &[])?;
                Ok(row.and_then(|r| r.get::<_, Option<i64>>(0)).unwrap_or(0))
            }
        }
    }

    /// Records the schema version (inside the migration's transaction).
    pub(crate) fn set_version(&mut self, v: i64) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(c) => c.pragma_update(None, "user_version", v)?,
            Db::Postgres(c) => {
                c.execute("INSERT INTO schema_version (version) VALUES ($1)", &[&v])?;
            }
        }
        Ok(())
    }

    /// Runs several statements (a migration).
    pub(crate) fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(c) => c.execute_batch(sql)?,
            Db::Postgres(c) => c.batch_execute(sql)?,
        }
        Ok(())
    }

    /// Opens a write transaction (SQLite takes its write lock at once).
    pub(crate) fn begin(&mut self) -> Result<(), StoreError> {
        self.batch(match self {
            Db::Sqlite(_) => "BEGIN IMMEDIATE",
            Db::Postgres(_) => "BEGIN ISOLATION LEVEL SERIALIZABLE",
        })
    }

    /// Commits the transaction.
    pub(crate) fn commit(&mut self) -> Result<(), StoreError> {
        self.batch("COMMIT")
    }

    /// Rolls the transaction back (errors ignored: the first one is told).
    pub(crate) fn rollback(&mut self) {
        let _ = self.batch("ROLLBACK");
    }

    /// After rows were written with their own ids (a restore): PostgreSQL's
    /// id sequences moved past them.
    pub(crate) fn after_restore(&mut self) -> Result<(), StoreError> {
        if let Db::Postgres(_) = self {
            for table in ["editions", "changes"] {
                self.batch(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
                ))?;
            }
        }
        Ok(())
    }

    /// Now, as the database tells it (UTC, RFC 3339, milliseconds).
    pub(crate) fn now(&mut self) -> Result<String, StoreError> {
        let sql = match self {
            Db::Sqlite(_) => "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            Db::Postgres(_) => {
                "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
            }
        };
        self.text(sql)
    }

    /// The text in the first column of the first row of `sql` (empty if
    /// none).
    pub(crate) fn text(&mut self, sql: &str) -> Result<String, StoreError> {
        let rows = self.query(sql, &[])?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Value::str)
            .unwrap_or_default()
            .to_owned())
    }

    /// Runs a statement; the rows it touched.
    pub(crate) fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        match self {
            Db::Sqlite(c) => {
                Ok(c.execute(sql, rusqlite::params_from_iter(params.iter().map(lite)))? as u64)
            }
            Db::Postgres(c) => {
                let p: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(pg).collect();
                Ok(c.execute(dollars(sql).as_str(), &p)?)
            }
        }
    }

    /// Runs a query; its rows.
    pub(crate) fn query(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        match self {
            Db::Sqlite(c) => {
                let mut st = c.prepare(sql)?;
                let n = st.column_count();
                let rows =
                    st.query_map(rusqlite::params_from_iter(params.iter().map(lite)), |r| {
                        (0..n)
                            .map(|i| {
                                Ok(match r.get_ref(i)? {
                                    rusqlite::types::ValueRef::Integer(v) => Value::Int(Some(v)),
                                    rusqlite::types::ValueRef::Null => Value::Text(None),
                                    rusqlite::types::ValueRef::Text(t) => {
                                        Value::Text(Some(String::from_utf8_lossy(t).into_owned()))
                                    }
                                    other => Value::Text(Some(format!("{other:?}"))),
                                })
                            })
                            .collect::<rusqlite::Result<Vec<Value>>>()
                    })?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            }
            Db::Postgres(c) => {
                let p: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(pg).collect();
                let rows = c.query(dollars(sql).as_str(), &p)?;
                rows.iter()
                    .map(|r| {
                        (0..r.len())
                            .map(|i| {
                                let t = r.columns()[i].type_();
                                Ok(if *t == postgres::types::Type::INT8 {
                                    Value::Int(r.try_get(i)?)
                                } else if *t == postgres::types::Type::INT4 {
                                    Value::Int(r.try_get::<_, Option<i32>>(i)?.map(i64::from))
                                } else {
                                    Value::Text(r.try_get(i)?)
                                })
                            })
                            .collect()
                    })
                    .collect()
            }
        }
    }
}

/// `?1`, `?2`… as PostgreSQL's `$1`, `$2`….
fn dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

fn lite(v: &Value) -> &dyn rusqlite::ToSql {
    match v {
        Value::Int(i) => i,
        Value::Text(t) => t,
    }
}

fn pg(v: &Value) -> &(dyn postgres::types::ToSql + Sync) {
    match v {
        Value::Int(i) => i,
        Value::Text(t) => t,
    }
}
