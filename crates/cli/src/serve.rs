//! `serve`: the web server, its background workers, and a graceful stop on a signal.

use super::*;

pub(crate) async fn serve(config: Config, demo: bool) -> Result<()> {
    let addr = config.addr;
    let mut app = open(config).await?;
    match std::env::current_exe() {
        Ok(me) => app.use_extractor_program(me, EXTRACT_MEMORY_MIB),
        Err(e) => tracing::warn!(error = %e, "own path unknown: extracting text in process"),
    }
    if demo {
        match app.load_demo().await {
            Ok(accounts) => print_demo_accounts(&accounts),
            Err(lz_app::AppError::Conflict(_)) => println!(
                "The database already holds data: demo data not loaded again. Demo password: {:?}",
                lz_app::demo::DEMO_PASSWORD
            ),
            Err(e) => bail!("loading demo data: {e}"),
        }
    }
    // Replay the search change log before serving, so that no search misses an item that
    // was acknowledged before a crash.
    let replayed = app
        .catch_up_index()
        .await
        .map_err(|e| anyhow::anyhow!("bringing the search index up to date: {e}"))?;
    if replayed > 0 {
        tracing::info!(replayed, "search index brought up to date");
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr} (LZ_ADDR)"))?;
    let local = listener.local_addr().context("reading the bound address")?;
    println!("Learning Zone is running at http://{local}/ (stop with Ctrl+C)");
    tracing::info!(%local, "listening");

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mailer = tokio::spawn(app.clone().run_mailer(stop_rx.clone()));
    let indexer = tokio::spawn(app.clone().run_indexer(stop_rx.clone()));
    let extractor = tokio::spawn(app.clone().run_extractor(stop_rx.clone()));
    let sweeper = tokio::spawn(app.clone().run_housekeeping(stop_rx));
    let shutdown = async move {
        wait_for_signal().await;
        tracing::info!("shutting down: finishing requests in flight");
    };
    lz_web::serve(app.clone(), listener, shutdown)
        .await
        .context("serving HTTP")?;
    let _ = stop_tx.send(true);
    let _ = mailer.await;
    let _ = sweeper.await;
    let _ = indexer.await;
    let _ = extractor.await;
    app.db.close().await;
    Ok(())
}

async fn wait_for_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
