//! Page templates (minijinja, HTML auto-escaped), embedded in the binary at build time.

use minijinja::{Environment, Value};

use lz_app::Config;

pub struct Templates {
    env: Environment<'static>,
    /// Site-wide values every page needs (name, host, logo).
    pub site: Value,
}

macro_rules! embed {
    ($env:expr, $($name:literal),+ $(,)?) => {
        $( $env.add_template($name, include_str!(concat!("../templates/", $name)))
            .expect(concat!("template ", $name, " must parse")); )+
    };
}

impl Templates {
    pub fn new(config: &Config) -> Self {
        let mut env = Environment::new();
        // Optional values (`values.email` on a fresh form) read as empty rather than failing.
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        // Templates are compiled into the binary; a parse error is a build bug caught by tests.
        embed!(
            env,
            "base.html",
            "macros.html",
            "home.html",
            "error.html",
            "sign_up.html",
            "check_email.html",
            "verify.html",
            "sign_in.html",
            "sign_in_needed.html",
            "about/accessibility.html",
            "about/privacy.html",
            "about/contact.html",
            "password_forgot.html",
            "password_reset.html",
            "account.html",
            "directory.html",
            "admin/index.html",
            "admin/places.html",
            "admin/place_form.html",
            "admin/organisations.html",
            "admin/organisation_form.html",
            "admin/users.html",
            "admin/user.html",
            "admin/requests.html",
            "admin/outbox.html",
            "admin/audit.html",
            "admin/place_fields.html",
            "admin/organisation_fields.html",
            "plans/list.html",
            "plans/import.html",
            "plans/show.html",
            "plans/actions.html",
            "plans/report.html",
            "plans/work_area_form.html",
            "library/results.html",
            "library/search.html",
            "library/browse.html",
            "library/form.html",
            "library/item.html",
            "evidence/list.html",
            "evidence/show.html",
            "evidence/form.html",
            "advocacy/list.html",
            "advocacy/form.html",
            "advocacy/show.html",
            "advocacy/section.html",
            "advocacy/pick.html",
            "advocacy/history.html",
            "advocacy/shared.html",
            "advocacy/shared_created.html",
            "advocacy/plan_evidence.html",
            "library/history.html",
            "library/mine.html",
            "library/review.html",
            "library/taxonomy.html",
            "library/gaps.html",
            "library/feed.xml",
            "events/list.html",
            "events/card.html",
            "events/form.html",
            "events/series_form.html",
            "events/series.html",
            "events/show.html",
            "events/guest.html",
            "events/registrations.html",
            "events/feedback.html",
            "events/report.html",
            "intelligence/list.html",
            "intelligence/indicator.html",
            "intelligence/import.html",
            "intelligence/review.html",
            "intelligence/tags.html",
            "transfer/meetings.html",
            "transfer/meetings_review.html",
            "transfer/meetings_done.html",
            "transfer/folder.html",
            "transfer/folder_batch.html",
            "transfer/folder_discard.html",
        );
        env.add_filter("datetime", format_ms);
        env.add_filter("date", format_iso_date);
        env.add_filter("money", money);
        env.add_filter("date_parts", |v: String| {
            crate::pages::date_input::date_parts(&v).to_vec()
        });
        let site = lz_app::context! {
            name => config.site_name.clone(),
            host => config.host_name.clone(),
            logo_url => config.logo_url.clone(),
            phase_banner => config.phase_banner.clone(),
            network_name => config.network_name.clone(),
            contact_email => config.contact_email.clone(),
            personal_data_days => config.event_personal_data_days,
            session_idle_minutes => config.session_idle_minutes,
        };
        Self { env, site }
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(ctx)
    }
}

/// UTC milliseconds to "23 Nov 2026, 10:51 UTC".
/// A moment in UK time (never UTC: the readers are in the UK).
fn format_ms(ms: i64) -> String {
    lz_domain::events::display_short(ms)
}

/// "2026-09-01" to "1 September 2026"; anything else is shown as it is.
fn format_iso_date(iso: String) -> String {
    lz_domain::dates::parse_iso_date(&iso)
        .map(|d| d.strftime("%-d %B %Y").to_string())
        .unwrap_or(iso)
}

/// Money in pence as "£8,000" (or "£8,000.50").
pub fn money(pence: i64) -> String {
    let pounds = pence.abs() / 100;
    let p = pence.abs() % 100;
    let digits = pounds.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if pence < 0 { "-" } else { "" };
    if p == 0 {
        format!("{sign}£{grouped}")
    } else {
        format!("{sign}£{grouped}.{p:02}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_is_grouped_in_pounds() {
        assert_eq!(super::money(800_000), "£8,000");
        assert_eq!(super::money(123_456_789), "£1,234,567.89");
        assert_eq!(super::money(0), "£0");
        assert_eq!(super::money(-5_000), "-£50");
    }
}
