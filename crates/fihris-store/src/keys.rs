//! API keys: who may write, and as what. A key is shown once when made
//! (`fihris_<prefix>_<secret>`); the store keeps its prefix (to find it),
//! its holder's name, its role and an argon2id hash of the secret — never
//! the secret. Making a key is audited (name and role, not the key).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::db::Value;
use crate::{Store, StoreError, append_audit, text};

/// What a key may do. Each role may do what the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Read (the public API needs no key; a reader key writes nothing).
    Reader,
    /// Change the draft: corrections, filings, topics, imported meetings.
    Editor,
    /// Also publish the draft as a new edition.
    Publisher,
}

impl Role {
    /// Its name as stored and typed: `reader`, `editor`, `publisher`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Publisher => "publisher",
        }
    }

    /// Its Arabic name.
    pub fn arabic(self) -> &'static str {
        match self {
            Role::Reader => "قارئ",
            Role::Editor => "محرّر",
            Role::Publisher => "ناشر",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Role, StoreError> {
        match s {
            "reader" => Ok(Role::Reader),
            "editor" => Ok(Role::Editor),
            "publisher" => Ok(Role::Publisher),
            other => Err(StoreError::Missing(format!(
                "no role {other:?} (reader, editor or publisher)"
            ))),
        }
    }
}

/// The holder of a key that checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHolder {
    /// The name the key was made for (the audit log's actor).
    pub name: String,
    /// What it may do.
    pub role: Role,
}

/// A key as listed: never its secret or hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// Its public part (`fihris_<prefix>_…`).
    pub prefix: String,
    /// Whose it is.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was made.
    pub created_at: String,
}

/// `n` random bytes from the operating system.
fn random(n: usize) -> Result<Vec<u8>, StoreError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)
        .map_err(|e| StoreError::Missing(format!("no randomness from the system: {e}")))?;
    Ok(buf)
}

/// `n` random bytes as lower-case hex.
fn random_hex(n: usize) -> Result<String, StoreError> {
    Ok(random(n)?.iter().map(|b| format!("{b:02x}")).collect())
}

impl Store {
    /// Makes a key for `name` with `role`; returns it (the only time it is
    /// seen). Audited as made by `actor`.
    pub fn create_key(
        &mut self,
        actor: &str,
        name: &str,
        role: Role,
    ) -> Result<String, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Missing("a key needs a holder's name".into()));
        }
        let (prefix, secret) = (random_hex(6)?, random_hex(24)?);
        let salt = SaltString::encode_b64(&random(16)?)
            .map_err(|e| StoreError::Missing(format!("cannot salt the key: {e}")))?;
        let hash = Argon2::default()
            .hash_password(secret.as_bytes(), &salt)
            .map_err(|e| StoreError::Missing(format!("cannot hash the key: {e}")))?
            .to_string();
        self.write(|db| {
            let now = db.now()?;
            db.exec(
                "INSERT INTO keys (prefix, name, role, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[
                    Value::text(&prefix),
                    Value::text(name),
                    Value::text(role.as_str()),
                    Value::text(&hash),
                    Value::text(&now),
                ],
            )?;
            append_audit(
                db,
                (actor, "create key", &format!("key {prefix}")),
                ("", &format!("{name} ({})", role.as_str())),
            )
        })?;
        Ok(format!("fihris_{prefix}_{secret}"))
    }

    /// The keys, oldest first.
    pub fn keys(&self) -> Result<Vec<KeyEntry>, StoreError> {
        self.query(
            "SELECT prefix, name, role, created_at FROM keys ORDER BY created_at, prefix",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(KeyEntry {
                prefix: text(r, 0)?,
                name: text(r, 1)?,
                role: text(r, 2)?.parse()?,
                created_at: text(r, 3)?,
            })
        })
        .collect()
    }

    /// Revokes the key whose prefix is `prefix` (it opens nothing from then
    /// on); audited as done by `actor`. Whether there was such a key.
    pub fn revoke_key(&mut self, actor: &str, prefix: &str) -> Result<bool, StoreError> {
        let prefix = prefix.trim().trim_start_matches("fihris_");
        let prefix = prefix.split('_').next().unwrap_or(prefix);
        self.write(|db| {
            let rows = db.query(
                "DELETE FROM keys WHERE prefix = ?1 RETURNING name, role",
                &[Value::text(prefix)],
            )?;
            let Some(r) = rows.first() else {
                return Ok(false);
            };
            append_audit(
                db,
                (actor, "revoke key", &format!("key {prefix}")),
                (&format!("{} ({})", text(r, 0)?, text(r, 1)?), ""),
            )?;
            Ok(true)
        })
    }

    /// Who holds `key`, if it is one of the store's (checked against its
    /// hash; `None` for anything else).
    pub fn key_holder(&self, key: &str) -> Result<Option<KeyHolder>, StoreError> {
        let Some((prefix, secret)) = key
            .trim()
            .strip_prefix("fihris_")
            .and_then(|k| k.split_once('_'))
        else {
            return Ok(None);
        };
        let rows = self.query(
            "SELECT name, role, hash FROM keys WHERE prefix = ?1",
            &[Value::text(prefix)],
        )?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let hash = text(r, 2)?;
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return Err(StoreError::Missing(format!(
                "key {prefix}: its stored hash is unreadable"
            )));
        };
        if Argon2::default()
            .verify_password(secret.as_bytes(), &parsed)
            .is_err()
        {
            return Ok(None);
        }
        Ok(Some(KeyHolder {
            name: text(r, 0)?,
            role: text(r, 1)?.parse()?,
        }))
    }
}
