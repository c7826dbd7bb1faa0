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
        );
        env.add_filter("datetime", format_ms);
        let site = minijinja::context! {
            name => config.site_name.clone(),
            host => config.host_name.clone(),
            logo_url => config.logo_url.clone(),
        };
        Self { env, site }
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(ctx)
    }
}

/// UTC milliseconds to "23 Nov 2026, 10:51 UTC".
fn format_ms(ms: i64) -> String {
    let fmt = time::macros::format_description!(
        "[day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
    );
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}
