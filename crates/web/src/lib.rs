//! Learning Zone's web layer: server-rendered HTML pages, the JSON API under `/api/v1`, and
//! the middleware around both (sessions, CSRF, security headers, metrics, tracing).
//! Handlers stay short: extract, call one use case in `lz_app`, render.

mod api;
pub mod charts;
mod error;
mod flash;
mod middleware;
mod ops;
mod pages;
mod rendered;
mod session;
mod templates;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use lz_app::App;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use session::Visitor;

/// What every handler can reach. One pointer: axum clones the state for every extractor and
/// middleware of every request.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub app: App,
    pub templates: Arc<templates::Templates>,
    pub metrics: Arc<ops::Metrics>,
    /// Display names of facet values (terms, places, organisations), read at most every
    /// few seconds instead of three queries on every search or item page.
    pub(crate) labels: Arc<std::sync::Mutex<Option<pages::library::CachedNames>>>,
    /// Item bodies and sections rendered from Markdown.
    pub(crate) markdown: Arc<rendered::RenderedMarkdown>,
    /// Each place's figures block with its charts drawn, kept while the app's cached figures
    /// are the same (`pages::intelligence::read::place_figures_block`).
    pub(crate) figure_blocks: Arc<pages::intelligence::read::FigureBlocks>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub fn router(app: App) -> Router {
    let max_body = app.config.max_body_bytes;
    let state = AppState(Arc::new(Shared {
        templates: Arc::new(templates::Templates::new(&app.config)),
        metrics: Arc::new(ops::Metrics::new()),
        labels: Arc::default(),
        markdown: Arc::default(),
        figure_blocks: Arc::default(),
        app,
    }));
    let x_request_id = axum::http::HeaderName::from_static("x-request-id");
    // Every handler has 30 seconds, but bringing a folder of documents in (about a second per
    // 20 documents) has 10 minutes.
    let quick = Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(ops::routes())
        .fallback(pages::not_found)
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ));
    let slow = Router::new()
        .merge(pages::transfer::folder::routes())
        .nest("/api/v1", api::transfer::folder_routes())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(600),
        ));
    Router::new()
        .merge(quick)
        .merge(slow)
        .layer(axum::middleware::from_fn_with_state(state.clone(), session::load_visitor))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::metrics))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(DefaultBodyLimit::max(max_body))
        // Around everything, the sessions' and forms' reading of the request too: no request
        // lives longer than the longest handler's limit.
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(600)))
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id, user_id = tracing::field::Empty)
            }),
        )
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
        .with_state(state)
}

/// Serves until `shutdown` resolves; in-flight requests finish first.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(app);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
