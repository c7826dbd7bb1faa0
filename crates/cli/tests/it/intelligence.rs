//! Shared intelligence over HTTP and the command line: a Fingertips export is uploaded,
//! reviewed with its flags (nothing saved before the person confirms), saved in one go;
//! importing it again changes nothing and a newer vintage replaces a value keeping the old
//! one in history; missing values stay missing. Everyone reads the figures, network admins
//! and analysts import them; bad files are refused with a clear message and change nothing;
//! a place's page shows its spine, an indicator page compares the region and follows an area,
//! the chart's CSV reads back; a plan outcome follows a public figure and the Executive report
//! shows the latest published value and its period.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{assert_only, page};
use crate::common::{body_text, location, python_reads, temp_dir, Client, TestApp, DEMO_PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    a_fingertips_export_is_reviewed_then_saved_once,
    figures_are_read_by_everyone_and_imported_by_admins_and_analysts,
    bad_files_are_refused_and_change_nothing,
    places_and_indicators_show_the_figures_and_outcomes_follow_them,
    admins_say_which_areas_a_place_covers_and_editors_tag_on_the_page
);

const HEADER: &str = "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,Compared to North West region value or percentiles,Time period Sortable,New data,Compared to goal,Time period range";

const NAME: &str = "Percentage of physically inactive adults";

/// One Fingertips row of indicator 93015.
fn row(
    code: &str,
    area: &str,
    period: &str,
    value: &str,
    ci: (&str, &str),
    note: &str,
    category: &str,
) -> String {
    format!(
        "93015,{NAME},E12000002,North West region,{code},\"{area}\",Districts & UAs,Persons,19+ yrs,{category},{},{period},{value},{},{},,,,,{note},,,,,,,1y\n",
        if category.is_empty() { "" } else { "Most deprived decile" },
        ci.0,
        ci.1
    )
}

/// An export with one thing of each kind to check: a suppressed value (line 5), an area
/// that had ended (6), an unknown area (7), the same area and period twice with different
/// values (4 and 8), a value that is not a number (9), and a breakdown row (10) left out.
fn export(blackpool: &str) -> String {
    let mut csv = format!("{HEADER}\n");
    csv += &row(
        "E92000001",
        "England",
        "2018/19",
        "21.4",
        ("21.3", "21.5"),
        "",
        "",
    );
    csv += &row(
        "E06000009",
        "Blackpool",
        "2018/19",
        blackpool,
        ("24.0", "29.7"),
        "",
        "",
    );
    csv += &row(
        "E07000117",
        "Burnley",
        "2018/19",
        "29.5",
        ("26.0", "33.2"),
        "",
        "",
    );
    csv += &row(
        "E07000118",
        "Chorley",
        "2018/19",
        "",
        ("", ""),
        "Value suppressed for disclosure control",
        "",
    );
    csv += &row(
        "E07000026",
        "Allerdale",
        "2023/24",
        "23.0",
        ("20.0", "26.0"),
        "",
        "",
    );
    csv += &row(
        "E09999999",
        "Testshire",
        "2018/19",
        "22.0",
        ("19.0", "25.0"),
        "",
        "",
    );
    csv += &row(
        "E07000117",
        "Burnley",
        "2018/19",
        "30.1",
        ("26.5", "33.9"),
        "",
        "",
    );
    csv += &row("E07000123", "Preston", "2018/19", "n/a", ("", ""), "", "");
    csv += &row(
        "E07000123",
        "Preston",
        "2018/19",
        "24.0",
        ("20.0", "28.0"),
        "",
        "LA deprivation deciles",
    );
    csv
}

/// Uploads a file on the import page; returns the response (a redirect to the review).
async fn upload(c: &Client, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let token = c.csrf("/indicators/import").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    c.http
        .post(c.url("/indicators/import"))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

/// Uploads, follows to the review page; returns (review path, review HTML).
async fn staged(c: &Client, name: &str, bytes: Vec<u8>) -> (String, String) {
    let r = upload(c, name, bytes).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "upload is staged: {}",
        body_text(r).await
    );
    let review = location(&r);
    assert!(review.starts_with("/indicators/import/"), "{review}");
    let (s, html) = c.get_text(&review).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    (review, html)
}

async fn save(c: &Client, review: &str, confirmed: bool) -> reqwest::Response {
    let fields: &[(&str, &str)] = if confirmed {
        &[("confirmed", "yes")]
    } else {
        &[]
    };
    c.post_form(review, review, fields).await
}

async fn a_fingertips_export_is_reviewed_then_saved_once(app: TestApp) {
    let admin = app.given().person("network_admin").signed_in().await;
    let observations = app.count("observations").await;
    let areas = app.count("areas").await;
    assert!(
        areas >= 40,
        "the North West's areas are there from the start: {areas}"
    );
    assert_eq!(observations, 0);

    // The review says what was read and what to check, and nothing is saved yet.
    let (review, html) = staged(&admin, "93015 export.csv", export("26.8").into_bytes()).await;
    for expected in [
        "Check the figures before they are saved",
        "Fingertips export",
        "Percentage of physically inactive adults",
        "Line 5: ",
        "Allerdale (E07000026) ended on 2023-03-31",
        "E09999999 (Testshire) is not an area we know yet",
        "Rows 4 and 8",
        "n/a",
        "2018&#x2f;19, 2023&#x2f;24",
    ] {
        assert!(html.contains(expected), "the review shows {expected:?}");
    }
    assert!(
        html.contains("1 row left out"),
        "the breakdown row is left out"
    );
    assert_eq!(
        app.count("observations").await,
        0,
        "nothing saved before confirming"
    );
    assert_eq!(app.count("indicators").await, 0);

    // Saving flagged figures needs the confirmation.
    let r = save(&admin, &review, false).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(r)
        .await
        .contains("confirm that the figures may be saved as read"));
    assert_eq!(app.count("observations").await, 0);

    let r = save(&admin, &review, true).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/indicators");
    let (_, html) = admin.get_text("/indicators").await;
    assert!(
        html.contains("The figures have been saved."),
        "the notice follows the redirect"
    );
    assert_eq!(
        app.count("observations").await,
        7,
        "England, Blackpool, Burnley (the later row), Chorley, Allerdale, Testshire, Preston"
    );
    assert_eq!(
        app.count("areas").await,
        areas + 1,
        "Testshire is added with the file's name"
    );
    // The same staged upload cannot be saved twice.
    let again = save(&admin, &review, true).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    // Missing values are missing (null), never 0; the later Burnley row won.
    let api = app.client();
    let (s, v) = api
        .api_get("/indicators/93015/observations?area=E07000118,E07000123,E07000117")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let by = |code: &str| {
        v.as_array()
            .and_then(|a| a.iter().find(|o| o["area_code"] == code))
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert!(
        by("E07000118")["value"].is_null(),
        "suppressed stays missing: {v}"
    );
    assert!(
        by("E07000123")["value"].is_null(),
        "not a number stays missing: {v}"
    );
    assert_eq!(by("E07000117")["value"], 30.1);
    assert_eq!(by("E07000117")["source_row"], 8);

    // Importing the same file again changes nothing.
    let (review, _) = staged(&admin, "93015 export.csv", export("26.8").into_bytes()).await;
    assert_eq!(
        save(&admin, &review, true).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.count("observations").await, 7);
    assert_eq!(app.count("observation_history").await, 0);
    let (_, list) = admin.get_text("/indicators").await;
    assert!(
        list.contains("0 added, 0 replaced, 7 unchanged"),
        "the import says it changed nothing"
    );

    // A newer vintage replaces Blackpool's value; the old one is kept in history.
    let (review, _) = staged(
        &admin,
        "93015 export (revised).csv",
        export("27.2").into_bytes(),
    )
    .await;
    assert_eq!(
        save(&admin, &review, true).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.count("observations").await, 7);
    assert_eq!(app.count("observation_history").await, 1);
    let (_, v) = api
        .api_get("/indicators/93015/observations?area=E06000009")
        .await;
    assert_eq!(v[0]["value"], 27.2, "{v}");
    assert_eq!(v[0]["source_file"], "93015 export (revised).csv");

    // A discarded upload saves nothing.
    let (review, _) = staged(&admin, "93015 again.csv", export("99.9").into_bytes()).await;
    let r = admin
        .post_form(&format!("{review}/discard"), &review, &[])
        .await;
    assert_eq!(location(&r), "/indicators");
    let (_, v) = api
        .api_get("/indicators/93015/observations?area=E06000009")
        .await;
    assert_eq!(v[0]["value"], 27.2);

    // The API's dry run reads the same, saving nothing: JSON numbers, nulls, line numbers.
    let token = app.given().person("network_admin").signed_in_api().await;
    let (s, v, _) = token
        .api_raw(
            reqwest::Method::POST,
            "/indicators/imports?name=x.csv",
            "text/csv",
            export("26.8").into_bytes(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["indicators"][0]["source_id"], "93015");
    assert_eq!(v["indicators"][0]["polarity"], "lower_is_better");
    let obs = v["observations"].as_array().expect("observations");
    assert_eq!(obs.len(), 7);
    assert!(obs
        .iter()
        .any(|o| o["area_code"] == "E06000009" && o["value"] == 26.8 && o["lower_ci95"] == 24.0));
    assert!(obs
        .iter()
        .any(|o| o["area_code"] == "E07000118" && o["value"].is_null()));
    assert!(v["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .any(|f| f["row"] == 5));
    assert_eq!(
        app.count("observation_history").await,
        1,
        "the dry run saved nothing"
    );
}

async fn figures_are_read_by_everyone_and_imported_by_admins_and_analysts(app: TestApp) {
    let admin = app.given().person("network_admin").signed_in().await;
    let (review, _) = staged(&admin, "93015.csv", export("26.8").into_bytes()).await;
    save(&admin, &review, true).await;
    let indicator = app.client().api_get("/indicators/93015").await.1["id"]
        .as_str()
        .expect("id")
        .to_string();

    let everyone = [
        "signed_out",
        "member",
        "contributor",
        "place_lead",
        "org_admin",
        "moderator",
        "network_admin",
    ];
    for path in [
        "/indicators".to_string(),
        format!("/indicators/{indicator}"),
        format!("/indicators/{indicator}/data.csv"),
    ] {
        assert_only(&app, &path, &everyone, |c| {
            let path = path.clone();
            async move { page(c.browser.get(&path).await.status()) }
        })
        .await;
    }
    assert_only(
        &app,
        "the import page",
        &["network_admin"],
        |c| async move { page(c.browser.get("/indicators/import").await.status()) },
    )
    .await;
    assert_only(
        &app,
        "the import API's dry run",
        &["network_admin"],
        |c| async move {
            let (s, v, _) = c
                .api
                .api_raw(
                    reqwest::Method::POST,
                    "/indicators/imports",
                    "text/csv",
                    export("26.8").into_bytes(),
                )
                .await;
            (s, v)
        },
    )
    .await;
    assert_only(
        &app,
        "changing how an indicator is read",
        &["network_admin"],
        |c| {
            let path = format!("/indicators/{indicator}");
            let token_page = if c.role.is_some() {
                "/account"
            } else {
                "/sign-in"
            };
            async move {
                page(
                    c.browser
                        .post_form(
                            &path,
                            token_page,
                            &[("unit", "%"), ("polarity", "lower_is_better")],
                        )
                        .await
                        .status(),
                )
            }
        },
    )
    .await;

    // An item's editors say which indicators it addresses; the indicator's page lists it.
    let org = app.given().organisation("walking-trust").await;
    let author = app.given().person("contributor").member_of(&org).await;
    let item = app
        .given()
        .item(&org)
        .by(&author)
        .titled("Walking football for inactive men")
        .visibility("public")
        .await;
    let author_api = author.api().await;
    let tags = format!("/items/{item}/indicators");
    for (body, status) in [
        (
            json!({"indicators": ["93015"], "status": "published"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"indicators": ["no-such-indicator"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"indicators": "93015"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (s, v) = author_api
            .api_send(reqwest::Method::PUT, &tags, body.clone())
            .await;
        assert_eq!(s, status, "{body}: {v}");
    }
    let stranger = app.given().person("contributor").signed_in_api().await;
    let (s, _) = stranger
        .api_send(
            reqwest::Method::PUT,
            &tags,
            json!({"indicators": ["93015"]}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only the item's editors tag it");
    let (s, v) = author_api
        .api_send(
            reqwest::Method::PUT,
            &tags,
            json!({"indicators": ["93015", "93015"]}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, html) = app
        .client()
        .get_text(&format!("/indicators/{indicator}"))
        .await;
    assert!(
        html.contains("Walking football for inactive men"),
        "the indicator page lists what addresses it"
    );
    let (_, html) = app.client().get_text(&format!("/library/{item}")).await;
    assert!(
        html.contains("id=\"indicator-tags\"")
            && html.contains("Percentage of physically inactive adults")
    );
    assert_eq!(
        app.count("item_indicators").await,
        1,
        "a repeated id is one tag"
    );

    // A network admin makes a member an analyst; the member then imports.
    let member = app.given().person("member").await;
    let member_browser = member.browser().await;
    assert_eq!(
        member_browser.get("/indicators/import").await.status(),
        StatusCode::FORBIDDEN
    );
    let api_admin = app.given().admin().await;
    // Only the permission can be sent: a role alongside it is refused (mass assignment).
    let (s, v) = api_admin
        .api_send(
            reqwest::Method::PUT,
            &format!("/users/{}/analyst", member.id),
            json!({"analyst": true, "role": "network_admin"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let contributor = app.given().person("contributor").signed_in_api().await;
    let (s, _) = contributor
        .api_send(
            reqwest::Method::PUT,
            &format!("/users/{}/analyst", member.id),
            json!({"analyst": true}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only network admins grant it");
    let r = admin
        .post_form(
            &format!("/admin/users/{}/analyst", member.id),
            &format!("/admin/users/{}", member.id),
            &[("analyst", "yes")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin.get_text(&format!("/admin/users/{}", member.id)).await;
    assert!(html.contains("Yes: imports figures"));
    // Sessions are cached for a second at most.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (review, _) = staged(
        &member_browser,
        "93015 by analyst.csv",
        export("26.9").into_bytes(),
    )
    .await;
    // Another importer does not see someone else's staged upload.
    let other = app.given().person("member").await;
    let (s, _) = api_admin
        .api_send(
            reqwest::Method::PUT,
            &format!("/users/{}/analyst", other.id),
            json!({"analyst": true}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let other_browser = other.browser().await;
    assert_eq!(
        other_browser.get(&review).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        save(&other_browser, &review, true).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        save(&member_browser, &review, true).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, v) = app
        .client()
        .api_get("/indicators/93015/observations?area=E06000009")
        .await;
    assert_eq!(v[0]["value"], 26.9);
    // Withdrawn: the page refuses again.
    api_admin
        .api_send(
            reqwest::Method::PUT,
            &format!("/users/{}/analyst", member.id),
            json!({"analyst": false}),
        )
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        member_browser.get("/indicators/import").await.status(),
        StatusCode::FORBIDDEN
    );
}

/// An XLSX made by openpyxl: a sheet "IMD" with the IoD headings and, when `formula`, one
/// cell that is a formula.
fn xlsx(dir: &std::path::Path, formula: bool) -> Vec<u8> {
    let path = dir.join(if formula { "formula.xlsx" } else { "imd.xlsx" });
    let script = format!(
        "import sys, openpyxl\nwb = openpyxl.Workbook()\nws = wb.active\nws.title = 'IMD'\nws.append(['Local Authority District code (2019)', 'Local Authority District name (2019)', 'IMD - Rank of average score'])\nws.append(['E06000009', 'Blackpool', 1])\nws.append(['E08000011', 'Knowsley', {}])\nwb.save(sys.argv[1])\n",
        if formula { "'=1+1'" } else { "2" }
    );
    let out = std::process::Command::new(crate::common::python_with("openpyxl", "openpyxl"))
        .args(["-c", &script])
        .arg(&path)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(&path).expect("xlsx")
}

/// A small zip whose one entry unpacks to 150 MB of zeros.
fn zip_bomb(dir: &std::path::Path) -> Vec<u8> {
    let path = dir.join("bomb.xlsx");
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\nz.writestr('[Content_Types].xml', '<Types/>')\nz.writestr('xl/worksheets/sheet1.xml', b'0' * (150 * 1024 * 1024))\nz.close()\n";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(&path).expect("zip")
}

async fn bad_files_are_refused_and_change_nothing(app: TestApp) {
    let admin = app.given().person("network_admin").signed_in().await;
    let dir = temp_dir("bad-figures");
    let broken_quote = format!("{HEADER}\n93015,\"{NAME},E12000002,x,E06000009,Blackpool,UA,Persons,19+ yrs,,,2018/19,26.8\n93015,{NAME},E12000002,x,E07000117,Burnley,UA,Persons,19+ yrs,,,2018/19,29.5\n");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("broken.csv", broken_quote.into_bytes(), "a quote is probably not closed"),
        ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec(), "not a CSV or an XLSX"),
        ("notes.csv", b"Dear colleagues,\nplease find the figures attached.\n".to_vec(), "headings"),
        ("empty.csv", b"\n\n".to_vec(), "empty"),
        ("formula.xlsx", xlsx(&dir, true), "formulas"),
        ("bomb.xlsx", zip_bomb(&dir), "too large once unpacked"),
        ("latin1.csv", [HEADER.as_bytes(), b"\n93015,Caf\xe9,E12000002,x,E06000009,Blackpool,UA,Persons,19+ yrs,,,2018/19,26.8\n"].concat(), "UTF-8"),
    ];
    for (name, bytes, expected) in cases {
        let r = upload(&admin, name, bytes).await;
        let status = r.status();
        let html = body_text(r).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name} is refused: {html}"
        );
        assert!(
            html.contains(expected),
            "{name}: the page says {expected:?}"
        );
        assert!(
            html.contains("govuk-error-summary"),
            "{name}: in the error summary"
        );
    }
    assert_eq!(
        app.count("indicator_imports").await,
        0,
        "nothing was staged"
    );

    // Rows a person must check: a 10,000-character area name (left out), a negative
    // denominator, an interval that does not contain its value.
    let mut csv = format!("{HEADER}\n");
    csv += &row(
        "E06000009",
        "Blackpool",
        "2018/19",
        "26.8",
        ("24.0", "29.7"),
        "",
        "",
    );
    csv += &row(
        "E07000117",
        &"B".repeat(10_000),
        "2018/19",
        "29.5",
        ("26.0", "33.2"),
        "",
        "",
    );
    csv += &format!("93015,{NAME},E12000002,x,E07000118,Chorley,UA,Persons,19+ yrs,,,2018/19,23.4,20.0,26.0,,,50,-100,,,,,,,,\n");
    csv += &row(
        "E07000123",
        "Preston",
        "2018/19",
        "24.0",
        ("25.0", "28.0"),
        "",
        "",
    );
    let (review, html) = staged(&admin, "odd rows.csv", csv.into_bytes()).await;
    assert!(html.contains("Text that is too long"), "{html}");
    assert!(
        html.contains("negative") || html.contains("Negative"),
        "{html}"
    );
    assert!(html.contains("interval"), "{html}");
    assert!(
        !html.contains(&"B".repeat(300)),
        "the long name is not echoed whole"
    );
    assert_eq!(app.count("observations").await, 0);
    assert_eq!(
        save(&admin, &review, true).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.count("observations").await,
        3,
        "the long-named row was left out"
    );
    let (_, v) = app
        .client()
        .api_get("/indicators/93015/observations?area=E07000118")
        .await;
    assert!(
        v[0]["denominator"].is_null(),
        "a negative denominator is dropped: {v}"
    );

    // The IoD summary sheet is read from its headings.
    let (review, html) = staged(&admin, "imd.xlsx", xlsx(&dir, false)).await;
    assert!(html.contains("Indices of Deprivation"), "{html}");
    assert_eq!(
        save(&admin, &review, true).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, v) = app
        .client()
        .api_get("/indicators/iod2019.imd_rank_average_score/observations")
        .await;
    assert_eq!(v.as_array().map(Vec::len), Some(2), "{v}");

    // The API's filters refuse bad values as problem details.
    let api = app.client();
    for bad in ["?area=X12", "?per_page=5000", "?page=0", "?page=abc"] {
        let (s, v) = api
            .api_get(&format!("/indicators/93015/observations{bad}"))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {v}");
        assert_eq!(v["status"], 422, "{bad}: {v}");
    }
    let (s, _) = api.api_get("/indicators/nope/observations").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // A period that is not there is said on the page, not a 500.
    let (s, html) = api.get_text("/indicators/93015?period=1999%2F00").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("There are no figures for 1999&#x2f;00"),
        "{html}"
    );
}

async fn places_and_indicators_show_the_figures_and_outcomes_follow_them(app: TestApp) {
    app.load_demo().await;
    let visitor = app.client();

    // Blackpool's page: its spine (SVG with a title), the table with the real 2023/24 value,
    // the attribution, and the warning about illustrative figures.
    let (s, html) = visitor.get_text("/places/blackpool").await;
    assert_eq!(s, StatusCode::OK);
    for expected in [
        "Figures for Blackpool",
        "role=\"img\"",
        "36.6%",
        "48.9%",
        "Open Government Licence v3.0",
        "illustrative demo figures",
    ] {
        assert!(html.contains(expected), "the place page shows {expected:?}");
    }
    // The spine's figures as CSV, read back by Python's csv module.
    let r = visitor.get("/places/blackpool/figures.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    let file = app.dir.join("spine.csv");
    std::fs::write(&file, r.bytes().await.expect("csv")).expect("write");
    let read = python_reads(
        "csv",
        "csv",
        "import csv, sys\nfor r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')):\n    print(r['indicator_source_id'], r['area_code'], r['period'], r['value'], r['england'])\n",
        &file,
    );
    assert!(
        read.lines()
            .any(|l| l.starts_with("93015 E06000009 2023/24 36.6 22")),
        "{read}"
    );
    // A partnership covers several local authorities.
    let (_, html) = visitor.get_text("/places/pennine-lancashire").await;
    assert!(
        html.contains("Rossendale") && html.contains("E07000122"),
        "Pennine Lancashire's areas"
    );

    // The indicator page: the region compared, Blackpool followed over time.
    let id = visitor.api_get("/indicators/93015").await.1["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (s, html) = visitor
        .get_text(&format!("/indicators/{id}?area=E06000009"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Percentage of physically inactive adults in Blackpool over time"));
    assert!(html.contains("id=\"series-table\"") && html.contains("id=\"compare-table\""));
    assert!(html.contains("Worse than England"), "comparisons in words");
    assert!(
        html.contains("From leisure centre to wellbeing hub"),
        "learning that addresses it"
    );

    // The chart's data as CSV, read back by Python's csv module.
    let r = visitor
        .get(&format!("/indicators/{id}/chart.csv?period=2018%2F19"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let file = app.dir.join("chart.csv");
    std::fs::write(&file, r.bytes().await.expect("csv")).expect("write");
    let read = python_reads(
        "csv",
        "csv",
        "import csv, sys\nrows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')))\nfor r in rows:\n    print(r['area_code'], r['period'], r['value'], r['illustrative'])\n",
        &file,
    );
    assert!(
        read.lines().any(|l| l == "E92000001 2018/19 21.4 "),
        "England's real value: {read}"
    );
    assert!(
        read.lines().any(|l| l == "E06000009 2018/19 26.8 "),
        "Blackpool's real value: {read}"
    );
    assert!(
        read.lines().any(|l| l.ends_with(" yes")),
        "illustrative rows say so"
    );

    // The API pages through the figures.
    let (_, first) = visitor
        .api_get("/indicators/93015/observations?per_page=2&page=1")
        .await;
    let (_, second) = visitor
        .api_get("/indicators/93015/observations?per_page=2&page=2")
        .await;
    assert_eq!(first.as_array().map(Vec::len), Some(2));
    assert_ne!(
        first[0]["area_code"].to_string() + &first[0]["period"].to_string(),
        second[0]["area_code"].to_string() + &second[0]["period"].to_string()
    );
    let (_, areas) = visitor.api_get("/areas").await;
    let allerdale = areas
        .as_array()
        .and_then(|a| a.iter().find(|x| x["code"] == "E07000026"))
        .cloned()
        .expect("Allerdale");
    assert_eq!(allerdale["valid_to"], "2023-03-31");
    let (s, openapi) = visitor.api_get("/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(openapi["paths"]["/api/v1/indicators/{id}/observations"].is_object());

    // A plan outcome follows 93015 for Blackpool: the report shows the latest published value.
    let beth = Client::new(&app.base);
    beth.sign_in("beth.kay@activelancashire.org.uk", DEMO_PASSWORD)
        .await;
    let (_, plans) = beth
        .api_sign_in("beth.kay@activelancashire.org.uk", DEMO_PASSWORD)
        .await
        .api_get("/plans")
        .await;
    let plan = plans
        .as_array()
        .and_then(|a| {
            a.iter().find(|p| {
                p["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("North West Place Cluster"))
            })
        })
        .and_then(|p| p["id"].as_str())
        .expect("the demo plan")
        .to_string();
    let plan_path = format!("/plans/{plan}");
    let (_, html) = beth.get_text(&plan_path).await;
    let outcome = html
        .split("action=\"/outcomes/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("an outcome")
        .to_string();
    let action = format!("/outcomes/{outcome}/figure");
    // Bad input is said beside the field and changes nothing.
    let r = beth
        .post_form(
            &action,
            &plan_path,
            &[
                ("plan_id", &plan),
                ("indicator", &id),
                ("area", "E06000009"),
                ("target", "lots"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(r).await.contains("Enter the target as a number"));
    assert_eq!(app.count("outcome_figures").await, 0);
    // Someone who is not a lead of the work area may not.
    let alex = Client::new(&app.base);
    alex.sign_in("alex.sample@blackpool.gov.uk", DEMO_PASSWORD)
        .await;
    let r = alex
        .post_form(
            &action,
            "/account",
            &[
                ("plan_id", &plan),
                ("indicator", &id),
                ("area", "E06000009"),
            ],
        )
        .await;
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status()
    );
    let r = beth
        .post_form(
            &action,
            &plan_path,
            &[
                ("plan_id", &plan),
                ("indicator", &id),
                ("area", "E06000009"),
                ("baseline_period", "2018/19"),
                ("target", "30"),
                ("target_year", "2028"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", body_text(r).await);
    let (_, html) = beth.get_text(&plan_path).await;
    assert!(
        html.contains("Follows"),
        "the plan page shows the figure it follows"
    );
    assert!(
        html.contains("<strong>36.6%</strong> (2023&#x2f;24)"),
        "the latest published value"
    );
    let (_, report) = beth.get_text(&format!("{plan_path}/report")).await;
    assert!(
        report.contains("36.6% (2023&#x2f;24)"),
        "the report shows the latest value and its period"
    );
    assert!(report.contains("26.8% (2018&#x2f;19)"), "and the baseline");
    assert!(
        report.contains("OHID Fingertips 93015, latest published figure 2023&#x2f;24"),
        "{}",
        report
            .split("Outcome indicators")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(3000)
            .collect::<String>()
    );

    // Signed-out visitors share one copy of the place page for a few seconds, but never
    // across a write: new figures show at once.
    let (_, before) = visitor.get_text("/places/blackpool").await;
    let (_, again) = visitor.get_text("/places/blackpool").await;
    assert_eq!(before, again, "the same page for every signed-out visitor");
    assert!(!before.contains("44.4%"));
    let upload = format!(
        "{HEADER}\n{}",
        row(
            "E06000009",
            "Blackpool",
            "2024/25",
            "44.4",
            ("40.0", "48.8"),
            "",
            ""
        )
    );
    let (review, _) = staged(&beth, "93015 2024-25.csv", upload.into_bytes()).await;
    assert_eq!(
        save(&beth, &review, true).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, after) = visitor.get_text("/places/blackpool").await;
    assert!(after.contains("44.4%"), "the new figure shows at once");
    // A signed-in reader gets their own page (with the follow button), not the shared copy.
    let (_, theirs) = beth.get_text("/places/blackpool").await;
    assert!(theirs.contains("id=\"follow\""));
    assert!(!after.contains("id=\"follow\""));
}

#[tokio::test]
async fn the_command_line_reads_and_imports_indicator_files() {
    let data = temp_dir("indicators-cli");
    let file = data.join("export.csv");
    std::fs::write(&file, export("26.8")).expect("write");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_learning-zone"))
            .env("LZ_DATA_DIR", &data)
            .env("LZ_LOG", "warn")
            .args(args)
            .output()
            .expect("run")
    };
    let path = file.display().to_string();
    let out = run(&[
        "indicators",
        "import",
        &path,
        "--dry-run",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["indicators"][0]["source_id"], "93015");
    assert_eq!(v["indicators"][0]["unit"], "%");
    let obs = v["observations"].as_array().expect("observations");
    assert!(obs.iter().any(|o| o["area_code"] == "E06000009"
        && o["value"] == 26.8
        && o["upper_ci95"] == 29.7
        && o["period"] == "2018/19"));
    assert!(obs
        .iter()
        .any(|o| o["area_code"] == "E07000118" && o["value"].is_null() && o["note"].is_string()));
    let flags = v["flags"].as_array().expect("flags");
    assert!(
        flags
            .iter()
            .any(|f| f["row"] == 9 && f["message"].as_str().is_some_and(|m| m.contains("n/a"))),
        "{flags:?}"
    );

    let out = run(&["indicators", "import", &path]);
    assert!(!out.status.success(), "flagged rows need --accept-flags");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--accept-flags"));
    let out = run(&["indicators", "import", &path, "--accept-flags"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("7 added"));
    let out = run(&["indicators", "import", &path, "--accept-flags"]);
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("0 added, 0 replaced (old values kept in history), 7 unchanged"));
    let out = run(&["indicators", "import", "/nonexistent/file.csv", "--dry-run"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be opened"));
}

/// The HTML forms not driven elsewhere: a network admin says which areas a place covers (bad
/// codes refused beside the field, others may not), and an item's or an evidence record's
/// editor ticks the indicators it addresses on its page.
async fn admins_say_which_areas_a_place_covers_and_editors_tag_on_the_page(app: TestApp) {
    let admin = app.given().person("network_admin").signed_in().await;
    let (review, _) = staged(&admin, "93015.csv", export("26.8").into_bytes()).await;
    save(&admin, &review, true).await;
    let place = app.given().place("fylde-and-burnley").await;
    let form = format!("/admin/places/{}", place.id);
    let action = format!("{form}/areas");
    for (areas, says) in [
        ("E06000009, X12", "is not a GSS code"),
        ("E06000009 E09999998", "is not an area we know"),
    ] {
        let r = admin.post_form(&action, &form, &[("areas", areas)]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{areas}");
        assert!(body_text(r).await.contains(says), "{areas}: {says}");
    }
    let (_, html) = app
        .client()
        .get_text(&format!("/places/{}", place.slug))
        .await;
    assert!(!html.contains("place-figures"), "no areas yet: no figures");
    let r = admin
        .post_form(
            &action,
            &form,
            &[("areas", "E06000009 E07000117, E06000009")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app
        .client()
        .get_text(&format!("/places/{}", place.slug))
        .await;
    assert!(
        html.contains("covers Blackpool"),
        "the first area is the main one"
    );
    assert!(html.contains("Burnley") && html.contains("26.8%"), "{html}");
    let lead = app.given().person("org_admin").signed_in().await;
    let r = lead
        .post_form(&action, "/account", &[("areas", "E07000117")])
        .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "only network admins map places"
    );

    // Tagging on the item's page, as its author would.
    let org = app.given().organisation("tagging-trust").await;
    let author = app.given().person("contributor").member_of(&org).await;
    let item = app
        .given()
        .item(&org)
        .by(&author)
        .visibility("public")
        .await;
    let indicator = app.client().api_get("/indicators/93015").await.1["id"]
        .as_str()
        .expect("id")
        .to_string();
    let browser = author.browser().await;
    let page = format!("/library/{item}");
    let (_, html) = browser.get_text(&page).await;
    assert!(html.contains("Choose the indicators it addresses"));
    let r = browser
        .post_form(
            &format!("{page}/indicators"),
            &page,
            &[("indicators", &indicator)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.client().get_text(&page).await;
    assert!(
        html.contains("id=\"indicator-tags\""),
        "readers see what it addresses"
    );
    assert!(
        !html.contains("Choose the indicators it addresses"),
        "readers cannot change it"
    );
    let stranger = app.given().person("contributor").signed_in().await;
    let r = stranger
        .post_form(
            &format!("{page}/indicators"),
            "/account",
            &[("indicators", &indicator)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Evidence over the API: its recorder may; a bad id is refused, nothing kept.
    let agenda = app.given().term("agenda", "Health").await;
    let recorder = author.api().await;
    let (s, v) = recorder
        .api_post(
            "/evidence",
            json!({"claim": "Walking groups kept 84 of 120 walkers going.", "agendas": [agenda],
                   "organisations": [org.id], "source_title": "An evaluation", "evidence_type": "evaluation",
                   "strength": 2, "visibility": "public"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let evidence = v["id"].as_str().expect("id").to_string();
    let tags = format!("/evidence/{evidence}/indicators");
    let (s, _) = recorder
        .api_send(reqwest::Method::PUT, &tags, json!({"indicators": ["nope"]}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("evidence_indicators").await, 0);
    let (s, v) = recorder
        .api_send(
            reqwest::Method::PUT,
            &tags,
            json!({"indicators": ["93015"]}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    assert_eq!(app.count("evidence_indicators").await, 1);
}
