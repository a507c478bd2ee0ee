//! Tauri's build step: embeds the config, checks capabilities, and declares the app's own commands
//! so every one of them is permission-checked like a plugin command.

/// Every command in `src-tauri/src/lib.rs`'s `generate_handler!` list, and only those.
const COMMANDS: &[&str] = &[
    "app_info",
    "open_logs_folder",
    "list_connections",
    "create_connection",
    "update_connection",
    "duplicate_connection",
    "delete_connection",
    "set_secret",
    "clear_secret",
    "test_connection",
    "export_connections",
    "import_connections",
    "browse_mappings",
    "lookup_cached",
    "lookup_live",
    "cancel_task",
    "sync_provider",
    "mirror_status",
    "mirror_history",
    "mirror_changes",
    "search_mirror",
    "learner_links",
    "check_permissions",
    "set_watched_providers",
    "import_ids",
    "export_lookup",
    "list_activity",
    "reveal_path",
    "grades_open_report",
    "grades_inspect",
    "grades_demo_report",
    "grades_reconcile",
    "grades_reopen",
    "grades_rows",
    "grades_preview",
    "grades_export",
    "grades_history",
    "grades_last_options",
    "openlearning_find_user",
    "openlearning_known_users",
    "launch_open",
    "launch_copy_html",
    "launch_save_html",
    "launch_show",
    "launch_import_roster",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
