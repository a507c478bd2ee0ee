//! Text for people, or exactly one JSON document for scripts.

use serde::Serialize;

pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `doc` as JSON with `--json`, else the text `text()` makes.
    pub fn print<T: Serialize>(&self, doc: &T, text: impl FnOnce() -> String) {
        if self.json {
            println!("{}", serde_json::to_string(doc).expect("output serialises"));
        } else {
            let t = text();
            if !t.is_empty() {
                println!("{}", t.trim_end());
            }
        }
    }
}
