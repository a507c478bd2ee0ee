//! Tauri's build step: embeds the config, checks capabilities, and declares the app's own commands
//! so every one of them is permission-checked like a plugin command.

include!("src/command_list.rs");

/// The command names of the one list.
macro_rules! command_names {
    ($($module:ident :: $name:ident => $doing:literal,)*) => {
        &[$(stringify!($name)),*]
    };
}

const COMMANDS: &[&str] = with_commands!(command_names);

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/src/command_list.rs");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
