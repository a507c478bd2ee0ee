//! `crosswalk secret set|clear`

use std::io::{IsTerminal, Read};

use crosswalk_core::connection::SecretField;
use crosswalk_core::secret::SecretString;
use crosswalk_core::{profiles, Crosswalk, Error};

use crate::args::{FieldArg, SecretCmd};
use crate::output::Output;

fn field(f: Option<FieldArg>) -> Option<SecretField> {
    f.map(|f| match f {
        FieldArg::ClientSecret => SecretField::ClientSecret,
        FieldArg::ApiKey => SecretField::ApiKey,
        FieldArg::IntrospectionSecret => SecretField::IntrospectionSecret,
        FieldArg::ReceiverPassword => SecretField::ReceiverPassword,
    })
}

/// Reads the secret from a hidden prompt on a terminal, else from stdin (one line, trimmed).
pub(crate) fn read_secret(prompt: &str) -> Result<SecretString, Error> {
    let value = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt).map_err(|e| Error::Invalid(format!("Could not read the secret from the terminal: {e}")))?
    } else {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| Error::Invalid(format!("Could not read the secret from stdin: {e}")))?;
        s
    };
    let value = value.trim_end_matches(['\r', '\n']).to_string();
    if value.is_empty() {
        return Err(Error::Invalid("No secret was given: pipe it on stdin or type it at the prompt.".into()));
    }
    Ok(SecretString::new(value))
}

pub fn run(cw: &Crosswalk, out: &Output, cmd: SecretCmd) -> Result<(), Error> {
    match cmd {
        SecretCmd::Set { name, field: f } => {
            let p = profiles::get(cw, &name)?;
            let label = field(f).unwrap_or(p.settings.secret_fields()[0]).label();
            let value = read_secret(&format!("{label} for \"{}\": ", p.name))?;
            let (p, f) = profiles::set_secret(cw, &p.id, field(f), &value)?;
            let doc = serde_json::json!({ "profile": p.name, "field": f.as_str(), "set": true });
            out.print(&doc, || format!("The {} of \"{}\" is stored in the OS keyring.", f.label(), p.name));
        }
        SecretCmd::Clear { name, field: f } => {
            let (p, f) = profiles::clear_secret(cw, &name, field(f))?;
            let doc = serde_json::json!({ "profile": p.name, "field": f.as_str(), "set": false });
            out.print(&doc, || format!("The {} of \"{}\" is removed from the OS keyring.", f.label(), p.name));
        }
    }
    Ok(())
}
