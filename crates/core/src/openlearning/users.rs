//! The OpenLearning users found by external id, remembered per connection (table
//! `openlearning_users`): a launch by external id asks OpenLearning only the first time.

use chrono::SecondsFormat;
use rusqlite::{params, OptionalExtension};

use super::{KnownUser, OpenLearningUser};
use crate::{Crosswalk, Result};

/// Remembers (or updates) the user found for `external_id`.
pub(crate) fn remember(cw: &Crosswalk, profile_id: &str, external_id: &str, user: &OpenLearningUser) -> Result<()> {
    let at = cw.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true);
    cw.store.conn().execute(
        "INSERT INTO openlearning_users (profile_id, external_id, user_id, full_name, email, found_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (profile_id, external_id) DO UPDATE SET user_id = ?3, full_name = ?4, email = ?5, found_at = ?6",
        params![profile_id, external_id, user.user_id, user.full_name, user.email, at],
    )?;
    Ok(())
}

/// The user id remembered for `external_id`, if any.
pub(crate) fn remembered(cw: &Crosswalk, profile_id: &str, external_id: &str) -> Result<Option<String>> {
    Ok(cw
        .store
        .conn()
        .query_row(
            "SELECT user_id FROM openlearning_users WHERE profile_id = ?1 AND external_id = ?2",
            params![profile_id, external_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The users found before on this connection, newest first.
pub fn known_users(cw: &Crosswalk, profile_id: &str) -> Result<Vec<KnownUser>> {
    let profile = cw.profile(profile_id)?;
    let conn = cw.store.conn();
    let mut stmt = conn.prepare(
        "SELECT external_id, user_id, full_name, email, found_at FROM openlearning_users WHERE profile_id = ?1 ORDER BY found_at DESC LIMIT 500",
    )?;
    let rows = stmt
        .query_map([profile.id], |r| {
            Ok(KnownUser { external_id: r.get(0)?, user_id: r.get(1)?, full_name: r.get(2)?, email: r.get(3)?, found_at: r.get(4)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
