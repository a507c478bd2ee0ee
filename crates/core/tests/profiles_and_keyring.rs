//! Saved profiles and their secrets in the real OS keyring. Run through `tests/session.sh` (as
//! `make test` does), which provides a private D-Bus session with a fresh, unlocked keyring.

use crosswalk_core::activity::Face;
use crosswalk_core::connection::{ClientAuth, NetworkSettings, OpenEdxSettings, ProfileDraft, ProfileSettings, SecretField, TokenType};
use crosswalk_core::paths::DataDirs;
use crosswalk_core::profiles;
use crosswalk_core::secret::SecretString;
use crosswalk_core::secrets::{SecretSource, Secrets};
use crosswalk_core::Crosswalk;

fn open(dir: &tempfile::TempDir, service: &str) -> Crosswalk {
    let mut cw = Crosswalk::open(DataDirs::under(dir.path()), Face::App).unwrap();
    // A service name of this test's own, so parallel tests never share entries.
    cw.secrets = Secrets::with_service(format!("org.crosswalk.desktop.test.{service}"));
    cw
}

fn draft(name: &str) -> ProfileDraft {
    ProfileDraft {
        name: name.into(),
        settings: ProfileSettings::Openedx(OpenEdxSettings {
            base_url: "https://lms.example.edu".into(),
            client_id: "crosswalk".into(),
            token_type: TokenType::Jwt,
            client_auth: ClientAuth::Basic,
            scopes: vec!["read".into()],
            providers: vec!["saml-ubc".into()],
        }),
        network: NetworkSettings::default(),
        secret_env: None,
    }
}

#[test]
fn keyring_round_trip_set_replace_clear() {
    let dir = tempfile::tempdir().unwrap();
    let cw = open(&dir, "roundtrip");
    let p = profiles::create(&cw, draft("LMS")).unwrap();
    assert_eq!(cw.secrets.get(&p.id, SecretField::ClientSecret).unwrap(), None, "no entry means not set");

    let hard = "s3cr+t:%/= ünïcødé \"quoted\"";
    profiles::set_secret(&cw, "LMS", None, &SecretString::new(hard)).unwrap();
    assert_eq!(cw.secrets.get(&p.id, SecretField::ClientSecret).unwrap().unwrap().expose(), hard);
    let view = profiles::view(&cw, p.clone()).unwrap();
    assert_eq!(view.secrets[0].source, SecretSource::Keyring);

    profiles::set_secret(&cw, "LMS", None, &SecretString::new("replaced")).unwrap();
    assert_eq!(cw.secrets.get(&p.id, SecretField::ClientSecret).unwrap().unwrap().expose(), "replaced");

    // A second, independent handle (as another process would) sees the same entry: it is in the
    // Secret Service, not in this process's memory.
    let other = Secrets::with_service("org.crosswalk.desktop.test.roundtrip");
    assert_eq!(other.get(&p.id, SecretField::ClientSecret).unwrap().unwrap().expose(), "replaced");

    profiles::clear_secret(&cw, "LMS", None).unwrap();
    assert_eq!(cw.secrets.get(&p.id, SecretField::ClientSecret).unwrap(), None);
    profiles::clear_secret(&cw, "LMS", None).unwrap();
    assert_eq!(profiles::view(&cw, p).unwrap().secrets[0].source, SecretSource::NotSet);
}

#[test]
fn an_empty_secret_is_refused_and_a_wrong_field_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let cw = open(&dir, "empty");
    profiles::create(&cw, draft("LMS")).unwrap();
    assert!(profiles::set_secret(&cw, "LMS", None, &SecretString::new("  ")).unwrap_err().to_string().contains("empty"));
    let err = profiles::set_secret(&cw, "LMS", Some(SecretField::ApiKey), &SecretString::new("k")).unwrap_err();
    assert!(err.to_string().contains("has no API key"), "{err}");
}

#[test]
fn deleting_a_profile_deletes_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let cw = open(&dir, "delete");
    let p = profiles::create(&cw, draft("LMS")).unwrap();
    profiles::set_secret(&cw, &p.id, None, &SecretString::new("to-be-deleted")).unwrap();
    profiles::delete(&cw, "lms").unwrap();
    assert_eq!(cw.secrets.get(&p.id, SecretField::ClientSecret).unwrap(), None);
    assert!(profiles::get(&cw, &p.id).is_err());
}

#[test]
fn create_edit_duplicate_and_name_clashes() {
    let dir = tempfile::tempdir().unwrap();
    let cw = open(&dir, "crud");
    let p = profiles::create(&cw, draft("Courses LMS")).unwrap();
    assert!(profiles::create(&cw, draft("courses lms")).unwrap_err().to_string().contains("already exists"));

    let mut d = draft("Courses LMS (prod)");
    if let ProfileSettings::Openedx(o) = &mut d.settings {
        o.providers.push("oa2-google-oauth2".into());
    }
    let edited = profiles::update(&cw, &p.id, d).unwrap();
    assert_eq!(edited.name, "Courses LMS (prod)");
    assert_eq!(edited.openedx().unwrap().providers, vec!["saml-ubc", "oa2-google-oauth2"]);

    profiles::set_secret(&cw, &p.id, None, &SecretString::new("orig")).unwrap();
    let copy = profiles::duplicate(&cw, &p.id).unwrap();
    assert_eq!(copy.name, "Courses LMS (prod) (copy)");
    assert_eq!(cw.secrets.get(&copy.id, SecretField::ClientSecret).unwrap(), None, "a copy does not copy secrets");
    assert_eq!(profiles::duplicate(&cw, &p.id).unwrap().name, "Courses LMS (prod) (copy) 2");

    let mut bad = draft("x");
    if let ProfileSettings::Openedx(o) = &mut bad.settings {
        o.base_url = "http://lms.example.edu".into();
    }
    assert!(profiles::update(&cw, &p.id, bad).unwrap_err().to_string().contains("https"));
}

#[test]
fn watched_providers_are_replaced_cleaned_and_only_on_open_edx() {
    let dir = tempfile::tempdir().unwrap();
    let cw = open(&dir, "watched");
    let p = profiles::create(&cw, draft("LMS")).unwrap();
    let updated =
        profiles::set_watched_providers(&cw, &p.id, vec![" saml-b ".into(), "".into(), "saml-a".into(), "saml-b".into()]).unwrap();
    assert_eq!(updated.openedx().unwrap().providers, vec!["saml-b", "saml-a"], "trimmed, blanks and repeats dropped, order kept");
    let again = profiles::get(&cw, &p.id).unwrap();
    assert_eq!(again.openedx().unwrap().providers, vec!["saml-b", "saml-a"], "saved");
    assert_eq!(again.openedx().unwrap().client_id, "crosswalk", "the other settings stay");

    let ol = profiles::create(
        &cw,
        ProfileDraft {
            name: "OL".into(),
            settings: ProfileSettings::Openlearning(crosswalk_core::connection::OpenLearningSettings {
                base_url: "https://api.openlearning.com/v2.1/".into(),
                institution_id: "inst".into(),
                api_key_style: crosswalk_core::connection::ApiKeyStyle::Header,
                user_lookup_path: None,
            }),
            network: NetworkSettings::default(),
            secret_env: None,
        },
    )
    .unwrap();
    let refused = profiles::set_watched_providers(&cw, &ol.id, vec!["saml-a".into()]).unwrap_err().to_string();
    assert!(refused.contains("not an Open edX connection"), "{refused}");
}

#[test]
fn export_and_import_carry_no_secrets_and_rename_clashes() {
    let dir = tempfile::tempdir().unwrap();
    let cw = open(&dir, "export");
    let p = profiles::create(&cw, draft("LMS")).unwrap();
    profiles::set_secret(&cw, &p.id, None, &SecretString::new("do-not-export-me")).unwrap();
    let doc = profiles::export(&cw, &[]).unwrap();
    let json = serde_json::to_string(&doc).unwrap();
    assert!(!json.contains("do-not-export-me"));
    assert!(!json.contains(&p.id), "ids are local: an import makes new ones");

    let other_dir = tempfile::tempdir().unwrap();
    let other = open(&other_dir, "import");
    let report = profiles::import(&other, &json).unwrap();
    assert_eq!(report.imported, vec!["LMS"]);
    let report = profiles::import(&other, &json).unwrap();
    assert_eq!(report.renamed, vec![("LMS".to_string(), "LMS 2".to_string())]);
    let imported = profiles::get(&other, "LMS").unwrap();
    assert_eq!(imported.settings, p.settings);
    assert_eq!(other.secrets.get(&imported.id, SecretField::ClientSecret).unwrap(), None);

    assert!(profiles::import(&other, "{not json").unwrap_err().to_string().contains("not a Crosswalk connections export"));
    let invalid = json.replace("https://lms.example.edu", "http://lms.example.edu");
    let before = profiles::count(&other).unwrap();
    assert!(profiles::import(&other, &invalid).is_err());
    assert_eq!(profiles::count(&other).unwrap(), before, "an invalid file imports nothing");
}
