//! Saved connection profiles: create, edit, duplicate, delete, export and import (never secrets).

use chrono::SecondsFormat;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::connection::{NetworkSettings, Profile, ProfileDraft, ProfileSettings};
use crate::crosswalk::Crosswalk;
use crate::{Error, Result};

/// What is stored in the `body` column.
#[derive(Serialize, Deserialize)]
struct Body {
    settings: ProfileSettings,
    network: NetworkSettings,
    secret_env: Option<String>,
}

/// The file format of an export: settings only, no secrets, no ids.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ProfileExport {
    /// Format marker and version.
    pub crosswalk_profiles: u32,
    pub profiles: Vec<ProfileDraft>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportReport {
    pub imported: Vec<String>,
    /// Names that were taken, and the names the imported copies got instead.
    pub renamed: Vec<(String, String)>,
}

impl Crosswalk {
    /// Every profile: this session's demo ones, then the saved ones.
    pub fn profiles(&self) -> Result<Vec<Profile>> {
        let mut all = self.demo_profiles();
        all.extend(list(self)?);
        Ok(all)
    }

    /// A profile by id or name (demo profiles included).
    pub fn profile(&self, id_or_name: &str) -> Result<Profile> {
        match self.demo_profile(id_or_name) {
            Some(p) => Ok(p),
            None => get(self, id_or_name),
        }
    }
}

fn now(cw: &Crosswalk) -> String {
    cw.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn new_id() -> String {
    use rand::Rng;
    let n: u64 = rand::rng().random();
    format!("p{n:016x}")
}

fn row_to_profile(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn decode((id, name, body, created_at, updated_at): (String, String, String, String, String)) -> Result<Profile> {
    let b: Body =
        serde_json::from_str(&body).map_err(|e| Error::Database(format!("the saved connection \"{name}\" cannot be read ({e})")))?;
    Ok(Profile { id, name, settings: b.settings, network: b.network, secret_env: b.secret_env, demo: false, created_at, updated_at })
}

/// Every saved profile, by name.
pub fn list(cw: &Crosswalk) -> Result<Vec<Profile>> {
    let conn = cw.store.conn();
    let mut stmt = conn.prepare("SELECT id, name, body, created_at, updated_at FROM profiles ORDER BY name")?;
    let rows = stmt.query_map([], row_to_profile)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(decode).collect()
}

/// One profile by id or (case-insensitive) name.
pub fn get(cw: &Crosswalk, id_or_name: &str) -> Result<Profile> {
    let row = cw
        .store
        .conn()
        .query_row(
            "SELECT id, name, body, created_at, updated_at FROM profiles WHERE id = ?1 OR name = ?1 COLLATE NOCASE",
            params![id_or_name],
            row_to_profile,
        )
        .optional()?;
    match row {
        Some(r) => decode(r),
        None => Err(Error::NotFound(format!(
            "There is no connection named \"{id_or_name}\". `crosswalk profile list` (or the Connections screen) shows the ones there are."
        ))),
    }
}

/// How many profiles are saved.
pub fn count(cw: &Crosswalk) -> Result<u32> {
    Ok(cw.store.conn().query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))?)
}

fn body(d: &ProfileDraft) -> String {
    serde_json::to_string(&Body { settings: d.settings.clone(), network: d.network.clone(), secret_env: d.secret_env.clone() })
        .expect("profile settings serialise")
}

fn name_taken(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// Saves a new profile.
pub fn create(cw: &Crosswalk, draft: ProfileDraft) -> Result<Profile> {
    let d = draft.validated()?;
    let (id, at) = (new_id(), now(cw));
    cw.store
        .conn()
        .execute(
            "INSERT INTO profiles (id, name, kind, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![id, d.name, d.settings.kind().as_str(), body(&d), at],
        )
        .map_err(|e| if name_taken(&e) { taken(&d.name) } else { e.into() })?;
    get(cw, &id)
}

fn taken(name: &str) -> Error {
    Error::Invalid(format!("A connection named \"{name}\" already exists. Choose another name."))
}

/// Replaces the provider ids a saved Open edX connection watches (trimmed, blanks and repeats
/// dropped, in the order given); its other settings stay as they are.
pub fn set_watched_providers(cw: &Crosswalk, id: &str, providers: Vec<String>) -> Result<Profile> {
    let p = get(cw, id)?;
    let mut settings = p.settings.clone();
    let ProfileSettings::Openedx(o) = &mut settings else {
        return Err(Error::Invalid(format!("\"{}\" is not an Open edX connection: only Open edX connections watch providers.", p.name)));
    };
    let mut kept: Vec<String> = Vec::with_capacity(providers.len());
    for id in providers.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !kept.iter().any(|k| k == id) {
            kept.push(id.to_string());
        }
    }
    o.providers = kept;
    update(cw, &p.id, ProfileDraft { name: p.name, settings, network: p.network, secret_env: p.secret_env })
}

/// Replaces a profile's settings. Its kind cannot change (its secrets belong to the kind).
pub fn update(cw: &Crosswalk, id: &str, draft: ProfileDraft) -> Result<Profile> {
    let old = get(cw, id)?;
    let d = draft.validated()?;
    if d.settings.kind() != old.kind() {
        return Err(Error::Invalid("A connection cannot change its kind. Create a new connection instead.".into()));
    }
    cw.store
        .conn()
        .execute("UPDATE profiles SET name = ?2, body = ?3, updated_at = ?4 WHERE id = ?1", params![old.id, d.name, body(&d), now(cw)])
        .map_err(|e| if name_taken(&e) { taken(&d.name) } else { e.into() })?;
    get(cw, &old.id)
}

/// A copy named "<name> (copy)", "<name> (copy 2)", …; secrets are not copied.
pub fn duplicate(cw: &Crosswalk, id: &str) -> Result<Profile> {
    let p = get(cw, id)?;
    let name = free_name(cw, &format!("{} (copy)", p.name))?;
    create(cw, ProfileDraft { name, settings: p.settings, network: p.network, secret_env: p.secret_env })
}

/// Deletes the row; the caller deletes the secrets first ([`crate::secrets::Secrets::clear_all`]).
pub(crate) fn delete_row(cw: &Crosswalk, id: &str) -> Result<()> {
    cw.store.conn().execute("DELETE FROM profiles WHERE id = ?1", params![id])?;
    Ok(())
}

fn free_name(cw: &Crosswalk, wanted: &str) -> Result<String> {
    let names: Vec<String> = list(cw)?.into_iter().map(|p| p.name.to_lowercase()).collect();
    if !names.contains(&wanted.to_lowercase()) {
        return Ok(wanted.to_string());
    }
    (2..1000)
        .map(|n| format!("{wanted} {n}"))
        .find(|c| !names.contains(&c.to_lowercase()))
        .ok_or_else(|| Error::Invalid(format!("Too many connections are named like \"{wanted}\".")))
}

/// The export document for the given profiles (all when `ids` is empty). Holds no secrets.
pub fn export(cw: &Crosswalk, ids: &[String]) -> Result<ProfileExport> {
    let profiles = list(cw)?
        .into_iter()
        .filter(|p| ids.is_empty() || ids.contains(&p.id))
        .map(|p| ProfileDraft { name: p.name, settings: p.settings, network: p.network, secret_env: p.secret_env })
        .collect();
    Ok(ProfileExport { crosswalk_profiles: 1, profiles })
}

/// Reads an export document and checks every profile in it, saving nothing.
pub fn parse_import(json: &str) -> Result<Vec<ProfileDraft>> {
    let doc: ProfileExport = serde_json::from_str(json).map_err(|e| {
        Error::Invalid(format!("This file is not a Crosswalk connections export ({e}). Export one from Connections → Export."))
    })?;
    if doc.crosswalk_profiles != 1 {
        return Err(Error::Invalid(format!(
            "This export was made by a newer Crosswalk (format {}). Update Crosswalk to import it.",
            doc.crosswalk_profiles
        )));
    }
    doc.profiles
        .into_iter()
        .map(|d| {
            let name = d.name.clone();
            d.validated().map_err(|e| Error::Invalid(format!("The connection \"{name}\" in this file cannot be imported: {e}")))
        })
        .collect()
}

/// Imports an export document. Every profile is checked first; nothing is saved unless all are valid.
pub fn import(cw: &Crosswalk, json: &str) -> Result<ImportReport> {
    let drafts = parse_import(json)?;
    let mut report = ImportReport { imported: Vec::new(), renamed: Vec::new() };
    for mut d in drafts {
        let name = free_name(cw, &d.name)?;
        if name != d.name {
            report.renamed.push((d.name.clone(), name.clone()));
            d.name = name;
        }
        report.imported.push(create(cw, d)?.name);
    }
    Ok(report)
}

/// A profile as the Connections screen shows it: settings and which secrets are set.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProfileView {
    pub profile: Profile,
    pub secrets: Vec<crate::secrets::SecretStatus>,
}

/// Every profile with its secret status. A keyring failure does not hide the list: the secrets
/// then show as unknown, and the error comes when something tries to use them.
pub fn views(cw: &Crosswalk) -> Result<Vec<ProfileView>> {
    cw.profiles()?.into_iter().map(|p| view(cw, p)).collect()
}

/// One profile with its secret status.
pub fn view(cw: &Crosswalk, profile: Profile) -> Result<ProfileView> {
    let secrets = cw.secrets.status(&profile, cw.face);
    Ok(ProfileView { profile, secrets })
}

/// Deletes a profile and its secrets (secrets first, so none is left behind without its profile).
pub fn delete(cw: &Crosswalk, id_or_name: &str) -> Result<Profile> {
    let p = get(cw, id_or_name)?;
    cw.secrets.clear_all(&p.id)?;
    delete_row(cw, &p.id)?;
    cw.forget_profile(&p.id);
    Ok(p)
}

/// Stores a secret of a saved profile in the keyring and drops its cached token.
pub fn set_secret(
    cw: &Crosswalk,
    id_or_name: &str,
    field: Option<crate::connection::SecretField>,
    value: &crate::secret::SecretString,
) -> Result<(Profile, crate::connection::SecretField)> {
    let p = get(cw, id_or_name)?;
    let field = pick_field(&p, field)?;
    cw.secrets.set(&p.id, field, value)?;
    cw.forget_profile(&p.id);
    Ok((p, field))
}

/// Removes a secret of a saved profile from the keyring.
pub fn clear_secret(
    cw: &Crosswalk,
    id_or_name: &str,
    field: Option<crate::connection::SecretField>,
) -> Result<(Profile, crate::connection::SecretField)> {
    let p = get(cw, id_or_name)?;
    let field = pick_field(&p, field)?;
    cw.secrets.clear(&p.id, field)?;
    cw.forget_profile(&p.id);
    Ok((p, field))
}

fn pick_field(p: &Profile, field: Option<crate::connection::SecretField>) -> Result<crate::connection::SecretField> {
    let fields = p.settings.secret_fields();
    match field {
        Some(f) if fields.contains(&f) => Ok(f),
        Some(f) => Err(Error::Invalid(format!("A {} connection has no {}.", p.kind().as_str(), f.label()))),
        None => Ok(fields[0]),
    }
}
