use crosswalk_sandbox::{Sandbox, SandboxConfig};
use std::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn perf() {
    let t = Instant::now();
    let sandbox = Sandbox::start(SandboxConfig { learners: 1_000_000, ..SandboxConfig::default() }).await.unwrap();
    eprintln!("seeded in {:?}", t.elapsed());
    let client = reqwest::Client::new();
    let url = format!("{}/api/third_party_auth/v0/providers/saml-demo-univ/users", sandbox.openedx_url());
    let key = sandbox.api_key();
    for round in 0..3 {
        if round == 1 {
            sandbox.link("saml-demo-univ", "x-new", "x-1");
            sandbox.unlink("saml-demo-univ", &sandbox.data().mappings("saml-demo-univ")[10].username);
        }
        let t = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..32 {
            let (client, url, key) = (client.clone(), url.clone(), key.clone());
            tasks.push(tokio::spawn(async move {
                let mut p = w + 1;
                while p <= 1000 {
                    let r = client.get(format!("{url}?page_size=100&page={p}")).header("x-edx-api-key", &key).send().await.unwrap();
                    assert!(r.status().is_success(), "{}", r.status());
                    r.bytes().await.unwrap();
                    p += 32;
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        eprintln!("round {round}: 1000 pages in {:?}", t.elapsed());
    }
}
