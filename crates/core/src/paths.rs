//! Where Crosswalk keeps its files.
//!
//! By default the OS's own folders (e.g. `~/.local/share/crosswalk` and `~/.local/state/crosswalk/logs`
//! on Linux, `~/Library/Application Support/…` on macOS, `%APPDATA%\…` on Windows). A `--data-dir`
//! flag or the `CROSSWALK_DATA_DIR` environment variable moves everything — database and logs —
//! under one folder, for tests, demos and side-by-side installs.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// The environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "CROSSWALK_DATA_DIR";

/// The folders one Crosswalk instance uses.
#[derive(Debug, Clone)]
pub struct DataDirs {
    /// Holds `crosswalk.sqlite3`.
    pub data: PathBuf,
    /// Holds the rotating log files.
    pub logs: PathBuf,
}

impl DataDirs {
    /// Resolves the folders: the flag wins, then the environment variable, then the OS default.
    pub fn resolve(flag: Option<&Path>) -> Result<Self> {
        let from_env = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
        match flag.map(Path::to_path_buf).or(from_env) {
            Some(root) => Ok(Self::under(root)),
            None => Self::os_default(),
        }
    }

    /// Everything under one folder: `<root>/crosswalk.sqlite3` and `<root>/logs/`.
    pub fn under(root: impl Into<PathBuf>) -> Self {
        let data = root.into();
        let logs = data.join("logs");
        Self { data, logs }
    }

    fn os_default() -> Result<Self> {
        let dirs = directories::ProjectDirs::from("org", "Crosswalk", "crosswalk").ok_or_else(|| Error::DataDir {
            path: "(home folder)".into(),
            reason: "the operating system did not tell Crosswalk where your home folder is".into(),
        })?;
        let data = dirs.data_dir().to_path_buf();
        // Linux has a state folder meant for logs; elsewhere logs sit beside the data.
        let logs = dirs.state_dir().map(|d| d.join("logs")).unwrap_or_else(|| data.join("logs"));
        Ok(Self { data, logs })
    }

    /// Creates the folders if they are missing.
    pub fn create(&self) -> Result<()> {
        for dir in [&self.data, &self.logs] {
            std::fs::create_dir_all(dir).map_err(|e| Error::DataDir { path: dir.display().to_string(), reason: e.to_string() })?;
        }
        Ok(())
    }

    /// The SQLite database file.
    pub fn database(&self) -> PathBuf {
        self.data.join("crosswalk.sqlite3")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_puts_database_and_logs_under_one_folder() {
        let dirs = DataDirs::resolve(Some(Path::new("/tmp/cw-test"))).unwrap();
        assert_eq!(dirs.database(), Path::new("/tmp/cw-test/crosswalk.sqlite3"));
        assert_eq!(dirs.logs, Path::new("/tmp/cw-test/logs"));
    }

    #[test]
    fn create_makes_both_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let dirs = DataDirs::under(tmp.path().join("nested/data"));
        dirs.create().unwrap();
        assert!(dirs.data.is_dir() && dirs.logs.is_dir());
    }
}
