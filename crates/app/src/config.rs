//! Configuration: one typed struct, read from an optional TOML file and `LZ_*` environment
//! variables (environment wins), validated at start-up with messages that name the setting.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Every setting: (name, default, what it is). Used for validation, `--help` and the README.
pub const SETTINGS: &[(&str, &str, &str)] = &[
    ("database_url", "sqlite://<data_dir>/learning-zone.db", "sqlite://PATH or postgres://USER@HOST:PORT/DB"),
    ("data_dir", "./data", "where the SQLite database and uploaded files live"),
    ("storage_url", "(none: files under <data_dir>/files)", "where uploaded files live instead: s3://BUCKET[/PREFIX]?endpoint=http://HOST:PORT&region=REGION (S3-compatible object storage)"),
    ("s3_access_key_id", "(none: AWS_ACCESS_KEY_ID, else the machine's role)", "access key id for the storage_url bucket"),
    ("s3_secret_access_key", "(none: AWS_SECRET_ACCESS_KEY)", "secret access key for the storage_url bucket"),
    ("addr", "127.0.0.1:8080", "address and port the web server listens on"),
    ("base_url", "http://<addr>", "public URL of the site, used in emails; https turns on Secure cookies"),
    ("smtp_url", "(none: mail is kept in the outbox and logged)", "smtp://HOST:PORT (plain), smtp://USER:PASS@HOST:587?tls=required (STARTTLS) or smtps://USER:PASS@HOST:465"),
    ("mail_from", "Learning Zone <no-reply@localhost>", "sender of the site's emails"),
    ("site_name", "Learning Zone", "the platform's name in pages and emails"),
    ("host_name", "Active Lancashire", "the host organisation's name"),
    ("network_name", "the North West place cluster", "who shares their learning here, as it reads in a sentence (\"the places and partners of …\")"),
    ("phase_banner", "This is a new service for the North West place cluster.", "the sentence in the beta banner at the top of every page"),
    ("contact_email", "(none)", "where people write about the service, accessibility problems and their personal data (shown on the contact, accessibility and privacy pages)"),
    ("brand_colour", "#1d4f91", "the host's colour, as #rrggbb (dark enough for white text)"),
    ("logo_url", "(none)", "URL of the host's logo image"),
    ("logo_file", "(none)", "path to a PNG of the host's logo (at most 2 MB) for the documents the site writes (advocacy packs)"),
    ("argon2_memory_kib", "19456", "argon2id memory cost in KiB (OWASP: 19456 with 2 iterations)"),
    ("argon2_iterations", "2", "argon2id time cost"),
    ("session_idle_minutes", "720", "a session ends after this long without a request"),
    ("max_body_bytes", "1048576", "largest request body accepted by forms and the API"),
    ("max_upload_bytes", "52428800", "largest file upload (multipart form) accepted"),
    ("max_folder_unpacked_bytes", "2147483648", "most bytes a folder of documents (ZIP) may unpack to in one import"),
    ("guest_registration", "true", "true: events may let people register without an account (confirmed by an emailed link)"),
    ("event_personal_data_days", "30", "days after an event that registrants' access and dietary answers are deleted"),
    ("db_max_connections", "10", "size of the database connection pool"),
    ("trust_proxy", "false", "true behind a reverse proxy: take the client address from X-Forwarded-For"),
    ("log_format", "text", "text or json"),
];

/// Settings that may be read from a file named by `LZ_<NAME>_FILE` (secrets: container and
/// systemd credentials are files).
pub const SECRET_FILES: &[&str] = &["database_url", "smtp_url", "s3_secret_access_key"];

/// A PNG's bytes (shown by its size, not its bytes, in debug output).
#[derive(Clone)]
pub struct LogoPng(pub std::sync::Arc<Vec<u8>>);

impl std::fmt::Debug for LogoPng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LogoPng({} bytes)", self.0.len())
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    /// Attachments in an S3-compatible bucket (`LZ_STORAGE_URL`); none: under `data_dir/files`.
    pub s3: Option<lz_files::S3Config>,
    pub addr: SocketAddr,
    pub base_url: url::Url,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub site_name: String,
    pub host_name: String,
    /// Who shares their learning here, as it reads in a sentence.
    pub network_name: String,
    /// The beta banner's sentence.
    pub phase_banner: String,
    /// Where people write to the host about the service.
    pub contact_email: Option<String>,
    pub brand_colour: String,
    pub logo_url: Option<String>,
    /// The host's logo as PNG, read once at start, for generated documents.
    pub logo_png: Option<LogoPng>,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub session_idle_minutes: i64,
    pub max_body_bytes: usize,
    pub max_upload_bytes: usize,
    pub max_folder_unpacked_bytes: u64,
    pub db_max_connections: u32,
    /// Events may offer registration without an account.
    pub guest_registration: bool,
    /// Access and dietary answers are deleted this many days after their event.
    pub event_personal_data_days: i64,
    pub trust_proxy: bool,
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

fn bad(key: &str, from_env: bool, msg: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("{}: {msg}", setting_name(key, from_env)))
}

fn setting_name(key: &str, from_env: bool) -> String {
    if from_env {
        format!("LZ_{}", key.to_uppercase())
    } else {
        format!("{key} (config file)")
    }
}

/// `storage_url` with its keys: both keys or neither (then the `AWS_*` variables apply),
/// and keys only with an `s3://` URL, so that a misspelt URL setting cannot quietly leave
/// uploads on the local disk.
fn s3_config(
    url: Option<(String, bool)>,
    key_id: Option<(String, bool)>,
    secret: Option<(String, bool)>,
) -> Result<Option<lz_files::S3Config>, ConfigError> {
    let key_id = key_id.filter(|(s, _)| !s.is_empty());
    let secret = secret.filter(|(s, _)| !s.is_empty());
    let config = match url {
        Some((s, env)) if !s.is_empty() => lz_files::S3Config::from_url(&s)
            .map(Some)
            .map_err(|e| bad("storage_url", env, e))?,
        _ => None,
    };
    match (config, key_id, secret) {
        (config, None, None) => Ok(config),
        (Some(config), Some((id, _)), Some((secret, _))) => Ok(Some(config.with_keys(id, secret))),
        (Some(_), Some((_, env)), None) => Err(bad(
            "s3_secret_access_key",
            env,
            format!(
                "missing: {} is set, so set this too (or neither)",
                setting_name("s3_access_key_id", env)
            ),
        )),
        (Some(_), None, Some((_, env))) => Err(bad(
            "s3_access_key_id",
            env,
            format!(
                "missing: {} is set, so set this too (or neither)",
                setting_name("s3_secret_access_key", env)
            ),
        )),
        (None, Some((_, env)), _) => Err(bad(
            "s3_access_key_id",
            env,
            "is set, but there is no s3:// storage_url for it: set LZ_STORAGE_URL",
        )),
        (None, None, Some((_, env))) => Err(bad(
            "s3_secret_access_key",
            env,
            "is set, but there is no s3:// storage_url for it: set LZ_STORAGE_URL",
        )),
    }
}

impl Config {
    /// The host's colour as sRGB bytes (checked as #rrggbb when loaded).
    pub fn brand_rgb(&self) -> [u8; 3] {
        let h = self.brand_colour.trim_start_matches('#');
        let byte = |i: usize| {
            h.get(i..i + 2)
                .and_then(|x| u8::from_str_radix(x, 16).ok())
                .unwrap_or(0)
        };
        [byte(0), byte(2), byte(4)]
    }

    /// Reads `file` (if any) and the given environment (normally `std::env::vars()`).
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut values: BTreeMap<String, (String, bool)> = BTreeMap::new();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
            let table: toml::Table = text
                .parse()
                .map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
            for (k, v) in table {
                if !SETTINGS.iter().any(|(name, _, _)| *name == k) {
                    return Err(ConfigError(format!(
                        "{}: unknown setting {k:?}",
                        path.display()
                    )));
                }
                let s = match v {
                    toml::Value::String(s) => s,
                    other => other.to_string(),
                };
                values.insert(k, (s, false));
            }
        }
        let mut from_files: Vec<(String, String)> = Vec::new();
        for (k, v) in env {
            if let Some(key) = k.strip_prefix("LZ_") {
                let key = key.to_lowercase();
                if SETTINGS.iter().any(|(name, _, _)| *name == key) {
                    values.insert(key, (v, true));
                } else if let Some(secret) = key.strip_suffix("_file") {
                    if SECRET_FILES.contains(&secret) {
                        from_files.push((secret.to_string(), v));
                    }
                }
            }
        }
        // A secret read from a file (LZ_SMTP_URL_FILE=/run/secrets/smtp) stays out of the
        // environment and the process list; the file wins over the variable itself.
        for (key, path) in from_files {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                ConfigError(format!(
                    "LZ_{}_FILE: cannot read {path}: {e}",
                    key.to_uppercase()
                ))
            })?;
            let value = text.trim_end_matches(['\n', '\r']).to_string();
            if value.trim().is_empty() {
                return Err(ConfigError(format!(
                    "LZ_{}_FILE: {path} is empty",
                    key.to_uppercase()
                )));
            }
            values.insert(key, (value, true));
        }
        Self::from_values(&values)
    }

    fn from_values(values: &BTreeMap<String, (String, bool)>) -> Result<Self, ConfigError> {
        let v = Values(values);
        let data_dir = PathBuf::from(v.text("data_dir", "./data"));
        let addr = v.addr()?;
        Ok(Config {
            database_url: v.database_url(&data_dir)?,
            s3: s3_config(
                v.get("storage_url"),
                v.get("s3_access_key_id"),
                v.get("s3_secret_access_key"),
            )?,
            base_url: v.base_url(addr)?,
            smtp_url: v.smtp_url()?,
            mail_from: v.mail_from()?,
            site_name: v.text("site_name", "Learning Zone"),
            host_name: v.text("host_name", "Active Lancashire"),
            network_name: v.text("network_name", "the North West place cluster"),
            phase_banner: v.text(
                "phase_banner",
                "This is a new service for the North West place cluster.",
            ),
            contact_email: v.contact_email()?,
            brand_colour: v.brand_colour()?,
            logo_url: v.logo_url()?,
            logo_png: v.logo_file()?,
            argon2_memory_kib: v.num("argon2_memory_kib", 19456, 8, 4 * 1024 * 1024)?,
            argon2_iterations: v.num("argon2_iterations", 2, 1, 100)?,
            session_idle_minutes: v.num("session_idle_minutes", 720, 1, 60 * 24 * 90)?,
            max_body_bytes: v.num("max_body_bytes", 1 << 20, 1024, 1 << 30)?,
            max_upload_bytes: v.num("max_upload_bytes", 50 << 20, 1024, 1 << 32)?,
            max_folder_unpacked_bytes: v.num(
                "max_folder_unpacked_bytes",
                2 << 30,
                1024,
                1 << 40,
            )?,
            db_max_connections: v.num("db_max_connections", 10, 1, 1000)?,
            guest_registration: v.flag("guest_registration", true)?,
            event_personal_data_days: v.num("event_personal_data_days", 30, 0, 3650)?,
            trust_proxy: v.flag("trust_proxy", false)?,
            log_format: v.log_format()?,
            addr,
            data_dir,
        })
    }

    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// An absolute link to `path` on this site, for emails.
    pub fn link(&self, path: &str) -> String {
        let base = self.base_url.as_str().trim_end_matches('/');
        format!("{base}{path}")
    }
}

/// The settings as read (value, and whether it came from the environment), with one parser
/// per kind of value, so that each error names the setting as the person wrote it.
struct Values<'a>(&'a BTreeMap<String, (String, bool)>);

impl Values<'_> {
    fn get(&self, key: &str) -> Option<(String, bool)> {
        self.0.get(key).map(|(v, e)| (v.trim().to_string(), *e))
    }

    fn text(&self, key: &str, default: &str) -> String {
        self.get(key)
            .map(|v| v.0)
            .unwrap_or_else(|| default.to_string())
    }

    /// A whole number within bounds.
    fn num<T>(&self, key: &str, default: T, min: T, max: T) -> Result<T, ConfigError>
    where
        T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
    {
        let Some((s, env)) = self.get(key) else {
            return Ok(default);
        };
        let n: T = s
            .parse()
            .map_err(|_| bad(key, env, format!("{s:?} is not a whole number")))?;
        if n < min || n > max {
            return Err(bad(key, env, format!("{n} is outside {min}..={max}")));
        }
        Ok(n)
    }

    fn flag(&self, key: &str, default: bool) -> Result<bool, ConfigError> {
        match self.get(key) {
            None => Ok(default),
            Some((s, env)) => match s.to_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(true),
                "false" | "0" | "no" => Ok(false),
                _ => Err(bad(key, env, format!("{s:?} is not true or false"))),
            },
        }
    }

    /// An optional http(s) URL; empty means none.
    fn optional_url(
        &self,
        key: &str,
        schemes: &[&str],
        hint: &str,
    ) -> Result<Option<String>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some((s, _)) if s.is_empty() => Ok(None),
            Some((s, env)) => {
                let u = url::Url::parse(&s).map_err(|e| bad(key, env, e))?;
                if !schemes.contains(&u.scheme()) || u.host_str().is_none() {
                    return Err(bad(key, env, hint));
                }
                Ok(Some(s))
            }
        }
    }

    fn addr(&self) -> Result<SocketAddr, ConfigError> {
        match self.get("addr") {
            None => Ok(SocketAddr::from(([127, 0, 0, 1], 8080))),
            Some((s, env)) => s.parse().map_err(|_| {
                bad(
                    "addr",
                    env,
                    format!("{s:?} is not an address like 127.0.0.1:8080"),
                )
            }),
        }
    }

    fn database_url(&self, data_dir: &std::path::Path) -> Result<String, ConfigError> {
        match self.get("database_url") {
            None => Ok(format!(
                "sqlite://{}",
                data_dir.join("learning-zone.db").display()
            )),
            Some((s, env)) => {
                if ["sqlite:", "postgres://", "postgresql://"]
                    .iter()
                    .any(|p| s.starts_with(p))
                {
                    Ok(s)
                } else {
                    Err(bad(
                        "database_url",
                        env,
                        "must start with sqlite:// or postgres://",
                    ))
                }
            }
        }
    }

    fn base_url(&self, addr: SocketAddr) -> Result<url::Url, ConfigError> {
        match self.get("base_url") {
            None => {
                url::Url::parse(&format!("http://{addr}")).map_err(|e| ConfigError(e.to_string()))
            }
            Some((s, env)) => {
                let u =
                    url::Url::parse(&s).map_err(|e| bad("base_url", env, format!("{s:?}: {e}")))?;
                if !matches!(u.scheme(), "http" | "https") {
                    return Err(bad("base_url", env, "must be an http:// or https:// URL"));
                }
                Ok(u)
            }
        }
    }

    fn smtp_url(&self) -> Result<Option<String>, ConfigError> {
        self.optional_url(
            "smtp_url",
            &["smtp", "smtps"],
            "must look like smtp://host:port or smtps://user:pass@host",
        )
    }

    fn logo_url(&self) -> Result<Option<String>, ConfigError> {
        self.optional_url("logo_url", &["http", "https"], "must be an http(s) URL")
    }

    fn logo_file(&self) -> Result<Option<LogoPng>, ConfigError> {
        let Some((path, env)) = self.get("logo_file") else {
            return Ok(None);
        };
        let bytes = std::fs::read(&path)
            .map_err(|e| bad("logo_file", env, format!("cannot read {path}: {e}")))?;
        if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(bad("logo_file", env, format!("{path} is not a PNG image")));
        }
        if bytes.len() > 2 << 20 {
            return Err(bad("logo_file", env, format!("{path} is larger than 2 MB")));
        }
        Ok(Some(LogoPng(std::sync::Arc::new(bytes))))
    }

    fn contact_email(&self) -> Result<Option<String>, ConfigError> {
        let Some((s, env)) = self.get("contact_email") else {
            return Ok(None);
        };
        match lz_domain::EmailAddress::parse(&s) {
            Ok(e) => Ok(Some(e.to_string())),
            Err(_) => Err(bad(
                "contact_email",
                env,
                format!("{s:?} is not an email address"),
            )),
        }
    }

    fn mail_from(&self) -> Result<String, ConfigError> {
        if let Some((s, env)) = self.get("mail_from") {
            s.parse::<lettre::message::Mailbox>()
                .map_err(|e| bad("mail_from", env, format!("{s:?} is not a mailbox: {e}")))?;
        }
        Ok(self.text("mail_from", "Learning Zone <no-reply@localhost>"))
    }

    fn brand_colour(&self) -> Result<String, ConfigError> {
        let Some((s, env)) = self.get("brand_colour") else {
            return Ok("#1d4f91".to_string());
        };
        let ok =
            s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !ok {
            return Err(bad(
                "brand_colour",
                env,
                format!("{s:?} is not a colour like #1d4f91"),
            ));
        }
        Ok(s.to_lowercase())
    }

    fn log_format(&self) -> Result<LogFormat, ConfigError> {
        match self.get("log_format") {
            None => Ok(LogFormat::Text),
            Some((s, env)) => match s.as_str() {
                "text" => Ok(LogFormat::Text),
                "json" => Ok(LogFormat::Json),
                _ => Err(bad("log_format", env, format!("{s:?} is not text or json"))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn secrets_are_read_from_files() {
        let dir = std::env::temp_dir().join(format!("lz-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let db = dir.join("db");
        std::fs::write(&db, "postgres://lz:s3cret@127.0.0.1:5432/lz\n").expect("write db url");
        let smtp = dir.join("smtp");
        std::fs::write(&smtp, "smtp://mailer:pw@127.0.0.1:2525\r\n").expect("write smtp url");
        let c = Config::load(
            None,
            env(&[
                ("LZ_DATABASE_URL", "sqlite://ignored.db"),
                ("LZ_DATABASE_URL_FILE", db.to_str().expect("UTF-8 path")),
                ("LZ_SMTP_URL_FILE", smtp.to_str().expect("UTF-8 path")),
            ]),
        )
        .expect("settings from files");
        assert_eq!(
            c.database_url, "postgres://lz:s3cret@127.0.0.1:5432/lz",
            "the file wins, newline trimmed"
        );
        assert_eq!(
            c.smtp_url.as_deref(),
            Some("smtp://mailer:pw@127.0.0.1:2525")
        );
        let e = Config::load(None, env(&[("LZ_SMTP_URL_FILE", "/nonexistent/smtp")]))
            .expect_err("a bad secret file");
        assert!(
            e.to_string().contains("LZ_SMTP_URL_FILE")
                && e.to_string().contains("/nonexistent/smtp"),
            "{e}"
        );
        let empty = dir.join("empty");
        std::fs::write(&empty, "\n").expect("write empty");
        let e = Config::load(
            None,
            env(&[(
                "LZ_S3_SECRET_ACCESS_KEY_FILE",
                empty.to_str().expect("UTF-8 path"),
            )]),
        )
        .expect_err("a bad secret file");
        assert!(e.to_string().contains("is empty"), "{e}");
        // Only secrets: any other *_FILE is ignored, as unknown LZ_ variables are.
        let c = Config::load(
            None,
            env(&[("LZ_SITE_NAME_FILE", db.to_str().expect("UTF-8 path"))]),
        )
        .expect("other _FILE settings ignored");
        assert_eq!(c.site_name, "Learning Zone");
        std::fs::remove_dir_all(&dir).expect("remove temp dir");
    }

    #[test]
    fn defaults_are_sqlite_under_data() {
        let c = Config::load(None, env(&[])).unwrap();
        assert_eq!(c.database_url, "sqlite://./data/learning-zone.db");
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert!(!c.secure_cookies());
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = Config::load(None, env(&[("LZ_ADDR", "nowhere")])).unwrap_err();
        assert!(e.to_string().contains("LZ_ADDR"), "{e}");
        let e = Config::load(None, env(&[("LZ_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(e.to_string().contains("LZ_DATABASE_URL"), "{e}");
        let e = Config::load(None, env(&[("LZ_ARGON2_ITERATIONS", "-3")])).unwrap_err();
        assert!(e.to_string().contains("LZ_ARGON2_ITERATIONS"), "{e}");
        let e = Config::load(None, env(&[("LZ_CONTACT_EMAIL", "not an address")])).unwrap_err();
        assert!(e.to_string().contains("LZ_CONTACT_EMAIL"), "{e}");
        let c = Config::load(
            None,
            env(&[("LZ_CONTACT_EMAIL", "help@activelancashire.org.uk")]),
        )
        .expect("a valid contact address");
        assert_eq!(
            c.contact_email.as_deref(),
            Some("help@activelancashire.org.uk")
        );
        assert!(c.phase_banner.contains("North West"), "the default banner");
    }

    #[test]
    fn storage_is_local_unless_an_s3_url_is_given() {
        let c = Config::load(None, env(&[])).unwrap();
        assert!(c.s3.is_none());
        let c = Config::load(None, env(&[("LZ_STORAGE_URL", " ")])).unwrap();
        assert!(c.s3.is_none(), "empty means local");
        let c = Config::load(
            None,
            env(&[
                (
                    "LZ_STORAGE_URL",
                    "s3://lz-files/uploads?endpoint=http://127.0.0.1:9000&region=eu-west-2",
                ),
                ("LZ_S3_ACCESS_KEY_ID", "AKIDEXAMPLE"),
                ("LZ_S3_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"),
            ]),
        )
        .unwrap();
        let s3 = c.s3.as_ref().unwrap();
        assert_eq!(s3.bucket, "lz-files");
        assert_eq!(s3.prefix, "uploads");
        assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(s3.region.as_deref(), Some("eu-west-2"));
        assert_eq!(s3.access_key_id.as_deref(), Some("AKIDEXAMPLE"));
        assert_eq!(s3.secret_access_key.as_deref(), Some("wJalrXUtnFEMI"));
        assert!(
            !format!("{c:?}").contains("wJalrXUtnFEMI"),
            "the secret is not printed"
        );
        // Without keys the AWS_* variables apply (read when storage opens).
        let c = Config::load(None, env(&[("LZ_STORAGE_URL", "s3://lz-files")])).unwrap();
        assert_eq!(c.s3.unwrap().access_key_id, None);
    }

    #[test]
    fn bad_storage_settings_stop_start_up_naming_the_setting() {
        for url in [
            "minio://lz-files",
            "s3://",
            "s3://Bad_Bucket",
            "s3://lz-files?endpoint=ftp://host",
            "s3://lz-files?endpont=http://127.0.0.1:9000",
            "/srv/files",
        ] {
            let e = Config::load(None, env(&[("LZ_STORAGE_URL", url)])).unwrap_err();
            assert!(e.to_string().contains("LZ_STORAGE_URL"), "{url}: {e}");
        }
        let e = Config::load(
            None,
            env(&[
                ("LZ_STORAGE_URL", "s3://lz-files"),
                ("LZ_S3_ACCESS_KEY_ID", "x"),
            ]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("LZ_S3_SECRET_ACCESS_KEY"), "{e}");
        let e = Config::load(
            None,
            env(&[
                ("LZ_STORAGE_URL", "s3://lz-files"),
                ("LZ_S3_SECRET_ACCESS_KEY", "x"),
            ]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("LZ_S3_ACCESS_KEY_ID"), "{e}");
        // Keys without a bucket: most likely a misspelt LZ_STORAGE_URL.
        let e = Config::load(
            None,
            env(&[
                ("LZ_S3_ACCESS_KEY_ID", "x"),
                ("LZ_S3_SECRET_ACCESS_KEY", "y"),
            ]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("LZ_S3_ACCESS_KEY_ID"), "{e}");
        assert!(e.to_string().contains("LZ_STORAGE_URL"), "{e}");
    }

    #[test]
    fn environment_wins_over_the_file() {
        let dir = std::env::temp_dir().join(format!("lz-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lz.toml");
        std::fs::write(
            &file,
            "addr = \"127.0.0.1:9000\"\nsite_name = \"From file\"\n",
        )
        .unwrap();
        let c = Config::load(Some(&file), env(&[("LZ_ADDR", "127.0.0.1:9100")])).unwrap();
        assert_eq!(c.addr.port(), 9100);
        assert_eq!(c.site_name, "From file");
        std::fs::write(&file, "adr = \"x\"\n").unwrap();
        assert!(Config::load(Some(&file), env(&[])).is_err());
    }
}
