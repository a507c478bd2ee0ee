//! `crosswalk profile …`

use crosswalk_core::connection::{
    ApiKeyStyle, ClientAuth, NetworkSettings, OoapiSettings, OoapiTransport, OpenEdxSettings, OpenLearningSettings, ProfileDraft,
    ProfileSettings, TokenType,
};
use crosswalk_core::profiles::{self, ProfileView};
use crosswalk_core::secrets::SecretSource;
use crosswalk_core::{connection_check, Crosswalk, Error};

use crate::args::{AuthArg, KeyStyleArg, Kind, ProfileAdd, ProfileCmd, TokenTypeArg, TransportArg};
use crate::output::Output;

fn required(v: Option<String>, flag: &str, kind: &str) -> Result<String, Error> {
    v.filter(|s| !s.trim().is_empty()).ok_or_else(|| Error::Invalid(format!("A {kind} profile needs {flag}.")))
}

fn draft(a: ProfileAdd) -> Result<ProfileDraft, Error> {
    let settings = match a.kind {
        Kind::Openedx => ProfileSettings::Openedx(OpenEdxSettings {
            base_url: a.base_url,
            client_id: required(a.client_id, "--client-id", "openedx")?,
            token_type: match a.token_type {
                TokenTypeArg::Jwt => TokenType::Jwt,
                TokenTypeArg::Bearer => TokenType::Bearer,
            },
            client_auth: match a.auth {
                AuthArg::Basic => ClientAuth::Basic,
                AuthArg::Body => ClientAuth::Body,
            },
            scopes: a.scopes,
            providers: a.providers,
        }),
        Kind::Openlearning => ProfileSettings::Openlearning(OpenLearningSettings {
            base_url: a.base_url,
            institution_id: required(a.institution_id, "--institution-id", "openlearning")?,
            api_key_style: match a.api_key_style {
                KeyStyleArg::Header => ApiKeyStyle::Header,
                KeyStyleArg::Query => ApiKeyStyle::Query,
            },
            user_lookup_path: a.user_lookup_path,
        }),
        Kind::Ooapi => {
            let base = a.base_url.trim_end_matches('/').to_string();
            ProfileSettings::Ooapi(OoapiSettings {
                schac_home: required(a.schac_home, "--schac-home", "ooapi")?,
                persons_url: a.persons_url.unwrap_or_else(|| format!("{base}/persons")),
                associations_url: a.associations_url.unwrap_or_else(|| format!("{base}/associations")),
                token_url: match a.transport {
                    TransportArg::Direct => required(a.token_url, "--token-url", "ooapi")?,
                    TransportArg::Receiver => a.token_url.unwrap_or_default(),
                },
                client_id: match a.transport {
                    TransportArg::Direct => required(a.client_id, "--client-id", "ooapi")?,
                    TransportArg::Receiver => a.client_id.unwrap_or_default(),
                },
                scopes: a.scopes,
                audience: a.audience,
                introspection_url: a.introspection_url.clone().filter(|u| !u.trim().is_empty()),
                introspection_client_id: a.introspection_client_id.clone(),
                transport: Some(match a.transport {
                    TransportArg::Direct => OoapiTransport::Direct,
                    TransportArg::Receiver => OoapiTransport::Receiver,
                }),
                receiver_url: match (a.transport, a.receiver_url) {
                    (TransportArg::Receiver, None) => {
                        return Err(Error::Invalid(
                            "--transport receiver needs --receiver-url (the enrollment receiver's SIS API root).".into(),
                        ))
                    }
                    (_, url) => url,
                },
                receiver_user: (a.transport == TransportArg::Receiver).then(|| a.receiver_user.clone()),
                stuck_after_hours: None,
                introspection_secret_env: a.introspection_secret_env.clone(),
                sis_url: a.sis_url.clone(),
            })
        }
    };
    Ok(ProfileDraft { name: a.name, settings, network: NetworkSettings::default(), secret_env: a.secret_env })
}

fn describe(v: &ProfileView) -> String {
    let p = &v.profile;
    let mut t = format!("{}\n  kind:        {}\n  base URL:    {}\n", p.name, p.kind().as_str(), p.settings.base_url());
    match &p.settings {
        ProfileSettings::Openedx(o) => {
            t.push_str(&format!(
                "  client id:   {}\n  token type:  {:?}\n  client auth: {:?}\n  scopes:      {}\n  providers:   {}\n",
                o.client_id,
                o.token_type,
                o.client_auth,
                o.scopes.join(" "),
                o.providers.join(", ")
            ));
        }
        ProfileSettings::Openlearning(o) => {
            t.push_str(&format!("  institution: {}\n  key style:   {:?}\n", o.institution_id, o.api_key_style));
        }
        ProfileSettings::Ooapi(o) => {
            t.push_str(&format!(
                "  schacHome:   {}\n  persons:     {}\n  associations:{}\n  token URL:   {}\n  client id:   {}\n",
                o.schac_home, o.persons_url, o.associations_url, o.token_url, o.client_id
            ));
            if let Some(url) = &o.introspection_url {
                t.push_str(&format!("  introspect:  {url} (client {})\n", o.introspection_client_id.as_deref().unwrap_or("(none)")));
            }
            if let Some(var) = &o.introspection_secret_env {
                t.push_str(&format!("  introspection secret from: environment variable {var} (CLI)\n"));
            }
            if let Some(url) = &o.sis_url {
                t.push_str(&format!("  SIS backend: {url}\n"));
            }
            match (o.transport(), &o.receiver_url) {
                (OoapiTransport::Receiver, Some(url)) => t.push_str(&format!(
                    "  transport:   through the enrollment receiver {url} (user {})\n",
                    o.receiver_user.as_deref().unwrap_or("sis")
                )),
                _ => t.push_str("  transport:   direct (OOAPI endpoints with the connection's token)\n"),
            }
        }
    }
    if let Some(var) = &p.secret_env {
        t.push_str(&format!("  secret from: environment variable {var} (CLI)\n"));
    }
    for s in &v.secrets {
        let state = match s.source {
            SecretSource::Keyring => "set (OS keyring)".to_string(),
            SecretSource::Environment => {
                let var = crosswalk_core::secrets::env_var(p, s.field).unwrap_or_default();
                if std::env::var_os(var).is_some_and(|v| !v.is_empty()) {
                    format!("from the environment variable {var}")
                } else {
                    format!("from the environment variable {var}, which is not set in this shell")
                }
            }
            SecretSource::Demo => "demo credential".to_string(),
            SecretSource::NotSet => "not set".to_string(),
            SecretSource::Unknown => "unknown (keyring unavailable)".to_string(),
        };
        t.push_str(&format!("  {}: {state}\n", s.label));
    }
    t
}

pub async fn run(cw: &Crosswalk, out: &Output, cmd: ProfileCmd) -> Result<(), Error> {
    match cmd {
        ProfileCmd::Add(a) => {
            let p = profiles::create(cw, draft(*a)?)?;
            let env_note = p
                .secret_env
                .as_ref()
                .map(|v| format!(" Its secret will be read from ${v}."))
                .unwrap_or_else(|| format!(" Now store its secret: crosswalk secret set \"{}\"", p.name));
            out.print(&p, || format!("Added \"{}\".{env_note}", p.name));
        }
        ProfileCmd::List => {
            let views = profiles::views(cw)?;
            out.print(&views, || {
                if views.is_empty() {
                    return "No profiles yet. Add one with: crosswalk profile add --kind openedx --name … --base-url … --client-id …"
                        .into();
                }
                views
                    .iter()
                    .map(|v| format!("{:<32} {:<12} {}", v.profile.name, v.profile.kind().as_str(), v.profile.settings.base_url()))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ProfileCmd::Show { name } => {
            let v = profiles::view(cw, profiles::get(cw, &name)?)?;
            out.print(&v, || describe(&v));
        }
        ProfileCmd::Remove { name } => {
            let p = profiles::delete(cw, &name)?;
            out.print(&serde_json::json!({ "removed": p.name }), || format!("Removed \"{}\" and its secrets.", p.name));
        }
        ProfileCmd::Test { name } => {
            let p = cw.profile(&name)?;
            if let Some(var) = p.secret_env.as_ref().filter(|v| std::env::var_os(v).is_some()) {
                eprintln!("Reading the secret of \"{}\" from the environment variable {var}.", p.name);
            }
            let check = connection_check::check(cw, &p.id).await?;
            out.print(&check, || {
                let mut t = String::new();
                for s in &check.steps {
                    t.push_str(&format!("{} {}: {}\n", if s.ok { "✔" } else { "✘" }, s.name, s.detail));
                }
                t.push_str(&check.summary);
                t
            });
            if !check.ok {
                return Err(Error::Invalid(check.summary));
            }
        }
        ProfileCmd::Export { out: file } => {
            let doc = profiles::export(cw, &[])?;
            let text = serde_json::to_string_pretty(&doc).expect("export serialises");
            match file {
                Some(path) => {
                    std::fs::write(&path, text + "\n").map_err(|e| Error::Invalid(format!("Could not write {}: {e}", path.display())))?;
                    let n = doc.profiles.len();
                    out.print(&serde_json::json!({ "exported": n, "file": path }), || {
                        format!("Wrote {n} profiles (no secrets) to {}.", path.display())
                    });
                }
                None => println!("{text}"),
            }
        }
        ProfileCmd::Import { file } => {
            let text = std::fs::read_to_string(&file).map_err(|e| Error::Invalid(format!("Could not read {}: {e}", file.display())))?;
            let report = profiles::import(cw, &text)?;
            out.print(&report, || {
                let mut t = format!(
                    "Imported {} profiles. Their secrets are not part of an export: set each with `crosswalk secret set`.",
                    report.imported.len()
                );
                for (from, to) in &report.renamed {
                    t.push_str(&format!("\n  \"{from}\" existed already: imported as \"{to}\"."));
                }
                t
            });
        }
    }
    Ok(())
}
