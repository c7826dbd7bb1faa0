//! `plan import`: a delivery plan or meeting minutes from a text file, previewed with
//! its flags, then saved.

use super::*;

pub(crate) struct PlanImportOptions {
    pub dry_run: bool,
    pub json: bool,
    pub kind: String,
    pub plan: Option<String>,
    pub owner: Option<String>,
    pub visibility: String,
    pub accept_flags: bool,
    pub title: Option<String>,
}

pub(crate) async fn plan_import(config: Config, file: &Path, o: PlanImportOptions) -> Result<()> {
    let text = read_text(file)?;
    let is_plan = match o.kind.as_str() {
        "plan" => true,
        "minutes" => false,
        _ => lz_domain::plan_import::parse_plan(&text).is_ok(),
    };
    let app = open(config).await?;
    let (parsed, flags) = if is_plan {
        let p = app.plans().preview_plan(None, &text).map_err(describe)?;
        let n = p.flags.len() + p.work_areas.iter().map(|w| w.flags.len()).sum::<usize>();
        (serde_json::to_value(&p)?, n)
    } else {
        let m = app.plans().preview_minutes(&text).map_err(describe)?;
        let n = m.flags.len() + m.actions.iter().map(|a| a.flags.len()).sum::<usize>();
        (serde_json::to_value(&m)?, n)
    };
    if o.json {
        let kind = if is_plan { "plan" } else { "minutes" };
        let out = serde_json::json!({"kind": kind, "parsed": parsed, "flag_count": flags});
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_parsed(&parsed, is_plan);
    }
    if o.dry_run {
        eprintln!("Dry run: nothing saved ({flags} field(s) flagged for checking).");
        return Ok(());
    }
    if flags > 0 && !o.accept_flags {
        bail!("{flags} field(s) are flagged for checking: review them (--dry-run), then run again with --accept-flags, or import in the web page's review screen");
    }
    let owner = owner_id(&app, o.owner.as_deref()).await?;
    if is_plan {
        save_plan(&app, text, owner, o).await
    } else {
        save_minutes(&app, &text, &parsed, owner, o).await
    }
}

/// The file's text, refusing what is too large or not UTF-8.
fn read_text(file: &Path) -> Result<String> {
    let meta = std::fs::metadata(file).with_context(|| format!("reading {}", file.display()))?;
    if meta.len() > lz_domain::plan_import::MAX_IMPORT_BYTES as u64 {
        bail!(
            "{} is too large to be a plan document ({} bytes)",
            file.display(),
            meta.len()
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{} is not UTF-8 text: save the document as plain text (UTF-8)",
            file.display()
        )
    })
}

/// The id of the organisation whose slug `--owner` gives.
async fn owner_id(app: &App, slug: Option<&str>) -> Result<Option<String>> {
    let Some(slug) = slug else {
        return Ok(None);
    };
    let organisations = app.network().organisations().await.map_err(describe)?;
    let found = organisations.into_iter().find(|g| g.slug == slug);
    match found {
        Some(g) => Ok(Some(g.id.into_string())),
        None => bail!("--owner: no organisation {slug:?}"),
    }
}

async fn save_plan(
    app: &App,
    text: String,
    owner: Option<String>,
    o: PlanImportOptions,
) -> Result<()> {
    let input = lz_app::plans::PlanImport {
        text,
        title: o.title,
        owner_organisation_id: owner,
        visibility: o.visibility,
        confirmed: true,
    };
    let id = app
        .plans()
        .import_plan(None, &input)
        .await
        .map_err(describe)?;
    eprintln!("Saved plan {id}");
    Ok(())
}

/// Minutes go into `--plan`, or a new plan named after the meeting.
async fn save_minutes(
    app: &App,
    text: &str,
    parsed: &serde_json::Value,
    owner: Option<String>,
    o: PlanImportOptions,
) -> Result<()> {
    let plan_id = match o.plan {
        Some(id) => id,
        None => {
            let title = parsed["title"].as_str().unwrap_or("Executive meeting");
            app.plans()
                .create_plan(None, title, owner.as_deref(), &o.visibility)
                .await
                .map_err(describe)?
        }
    };
    let id = app
        .plans()
        .import_minutes(None, &plan_id, text)
        .await
        .map_err(describe)?;
    eprintln!("Saved meeting {id} in plan {plan_id}");
    Ok(())
}

fn print_parsed(v: &serde_json::Value, is_plan: bool) {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    println!("{}", s(&v["title"]));
    if is_plan {
        for (i, w) in v["work_areas"].as_array().into_iter().flatten().enumerate() {
            let leads: Vec<String> = w["accountable_leads"]
                .as_array()
                .into_iter()
                .flatten()
                .map(s)
                .collect();
            let total = w["budget_total_pence"]
                .as_i64()
                .map(|p| format!("£{:.2}", p as f64 / 100.0))
                .unwrap_or_else(|| "none".into());
            println!(
                "{}. {}
   leads: {}
   budget: {total}
   dates: {} to {}",
                i + 1,
                s(&w["title"]),
                leads.join(", "),
                s(&w["start"]),
                if w["end_open"] == true {
                    "ongoing".into()
                } else {
                    s(&w["end"])
                }
            );
            for f in w["flags"].as_array().into_iter().flatten() {
                println!("   CHECK {}: {}", s(&f["field"]), s(&f["message"]));
            }
        }
    } else {
        for (i, m) in v["mandates"].as_array().into_iter().flatten().enumerate() {
            println!("mandate {}. {}", i + 1, s(m));
        }
        for a in v["actions"].as_array().into_iter().flatten() {
            println!(
                "action: {} (owner: {}, due: {})",
                s(&a["description"]),
                s(&a["owner"]),
                s(&a["due"])
            );
        }
    }
    for f in v["flags"].as_array().into_iter().flatten() {
        println!("CHECK {}: {}", s(&f["field"]), s(&f["message"]));
    }
}
