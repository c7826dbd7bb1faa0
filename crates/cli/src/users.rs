//! `user create` and the demo's accounts.

use super::*;

/// `demo`: the demo network, or `--synthetic N` library items for benchmarks.
pub(crate) async fn demo(config: Config, synthetic: Option<u64>) -> Result<()> {
    let app = open(config).await?;
    let Some(n) = synthetic else {
        let accounts = app.load_demo().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        print_demo_accounts(&accounts);
        return Ok(());
    };
    let bar = progress_bar(n, "items");
    app.generate_synthetic(n, |done| bar.set_position(done))
        .await
        .map_err(|e| anyhow::anyhow!("generating synthetic items: {e}"))?;
    bar.finish();
    println!("Added {n} synthetic items. Run `learning-zone reindex` (or start the server) to index them.");
    Ok(())
}

/// `user create`: an account with a role; the password from standard input, or generated
/// and shown once.
pub(crate) async fn create_user(config: Config, email: &str, name: &str, role: &str) -> Result<()> {
    let role: Role = role.parse().map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    let (password, generated) = read_or_generate_password()?;
    let app = open(config).await?;
    app.accounts()
        .create_user_direct(email, name, &password, role)
        .await
        .map_err(describe)?;
    println!("Created {email} ({}).", role.label());
    if generated {
        println!("Password (shown once): {password}");
    }
    Ok(())
}

fn read_or_generate_password() -> Result<(String, bool)> {
    if std::io::stdin().is_terminal() {
        return Ok((
            lz_app::secrets::random_token("").chars().take(24).collect(),
            true,
        ));
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("reading the password from standard input")?;
    let p = s.trim_end_matches(['\n', '\r']).to_string();
    if p.is_empty() {
        Ok((
            lz_app::secrets::random_token("").chars().take(24).collect(),
            true,
        ))
    } else {
        Ok((p, false))
    }
}

pub(crate) fn print_demo_accounts(accounts: &[lz_app::demo::DemoAccount]) {
    println!(
        "Demo data loaded. Demo accounts (password for all: {:?}):",
        lz_app::demo::DEMO_PASSWORD
    );
    for a in accounts {
        println!("  {:<16} {:<45} {}", a.role.label(), a.email, a.name);
    }
}
