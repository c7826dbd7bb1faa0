//! The indicators a library item or an evidence record addresses: listed on its page, and
//! chosen there by whoever may edit it (the indicator's page then lists it).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::context;
use lz_app::AppError;
use minijinja::Value;

use crate::error::PageResult;
use crate::pages::HtmlForm;
use crate::session::SignedIn;
use crate::AppState;

/// The block on an item's or a record's page; `what` is "library" or "evidence".
pub(crate) async fn tags_ctx(
    s: &AppState,
    what: &str,
    id: &str,
    may_edit: bool,
) -> Result<Value, AppError> {
    let intel = s.app.intelligence();
    let tags = match what {
        "library" => intel.item_indicators(id).await?,
        _ => intel.evidence_indicators(id).await?,
    };
    let choices: Vec<Value> = if may_edit {
        intel
            .indicators()
            .await?
            .into_iter()
            .map(|i| {
                let checked = tags.iter().any(|(t, _)| *t == i.id);
                context! { value => i.id, label => i.name, hint => format!("{} {}{}", i.source_label(), i.source_id, if i.age.is_empty() { String::new() } else { format!(", {}", i.age) }), checked }
            })
            .collect()
    } else {
        vec![]
    };
    Ok(context! {
        indicator_tags => tags.iter().map(|(id, name)| context! { id, name }).collect::<Vec<_>>(),
        indicator_choices => choices,
        may_tag => may_edit,
        tag_action => format!("/{what}/{id}/indicators"),
    })
}

#[derive(serde::Deserialize, Default)]
pub(super) struct TagForm {
    #[serde(default)]
    indicators: Vec<String>,
}

pub(super) async fn tag_item(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<TagForm>,
) -> PageResult {
    s.app
        .intelligence()
        .tag_item(&actor, &id, &f.indicators)
        .await?;
    Ok(Redirect::to(&format!("/library/{id}?notice=saved#indicators-heading")).into_response())
}

pub(super) async fn tag_evidence(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<TagForm>,
) -> PageResult {
    s.app
        .intelligence()
        .tag_evidence(&actor, &id, &f.indicators)
        .await?;
    Ok(Redirect::to(&format!("/evidence/{id}?notice=saved#indicators-heading")).into_response())
}
