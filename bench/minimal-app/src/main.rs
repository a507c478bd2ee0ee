//! The baseline of `make bench`'s start-up and memory benchmark: a window with one page.

fn main() {
    tauri::Builder::default().run(tauri::generate_context!()).expect("the window opens");
}
