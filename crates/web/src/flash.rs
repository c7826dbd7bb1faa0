//! Confirmation messages ("Your draft has been saved") shown once, to the person who acted.
//! Handlers still redirect to `…?notice=code`; on the way out the code moves from the
//! address into a short-lived cookie, and the next page that person opens shows it and
//! clears it. A `notice` in an address that someone shares or bookmarks is ignored, so a
//! reader never sees another person's message, nor a stale one that contradicts the page.

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;
use url::form_urlencoded;

use crate::session::cookie;
use crate::AppState;

pub const NOTICE_COOKIE: &str = "lz_notice";

/// Long enough to follow a redirect, short enough not to greet someone tomorrow.
const NOTICE_SECONDS: i64 = 120;

/// Notice codes are short words (`saved`, `signed-out`); anything else is not ours.
fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Removes any `notice` from the request's address and, for a page (GET, not the API), puts
/// the one waiting in the cookie in its place. Returns whether the cookie's was taken (the
/// response then clears it).
pub fn take(req: &mut Request, jar: &CookieJar) -> bool {
    let path = req.uri().path().to_string();
    if path.starts_with("/api/") {
        return false;
    }
    let query = req.uri().query().unwrap_or_default();
    let had_notice = form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == "notice");
    let waiting = (req.method() == Method::GET)
        .then(|| jar.get(NOTICE_COOKIE).map(|c| c.value().to_string()))
        .flatten()
        .filter(|c| is_code(c));
    if !had_notice && waiting.is_none() {
        return false;
    }
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .filter(|(k, _)| k != "notice")
        .collect();
    if let Some(code) = &waiting {
        pairs.push(("notice".into(), code.clone()));
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let address = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    if let Ok(uri) = address.parse() {
        *req.uri_mut() = uri;
    }
    waiting.is_some()
}

/// A redirect to `…?notice=code` of this site: the code moves into the cookie.
pub fn carry(state: &AppState, mut resp: Response) -> Response {
    if !resp.status().is_redirection() {
        return resp;
    }
    let moved = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(move_notice);
    let Some((to, code)) = moved else {
        return resp;
    };
    if let Ok(to) = HeaderValue::from_str(&to) {
        resp.headers_mut().insert(header::LOCATION, to);
        resp.headers_mut().append(
            header::SET_COOKIE,
            cookie(state, NOTICE_COOKIE, code, Some(NOTICE_SECONDS)),
        );
    }
    resp
}

/// A local address without its notice, and the notice's code; `None` when there is none
/// (or the address is another site's).
fn move_notice(location: &str) -> Option<(String, String)> {
    // `/plans/1?notice=saved#wa-2`: the fragment stays at the end.
    let (address, fragment) = match location.split_once('#') {
        Some((a, f)) => (a, format!("#{f}")),
        None => (location, String::new()),
    };
    let (path, query) = address.split_once('?')?;
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let code = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "notice")
        .map(|(_, v)| v.into_owned())
        .filter(|c| is_code(c))?;
    let rest = without_notice(address);
    Some((format!("{rest}{fragment}"), code))
}

/// An address without its `notice`.
pub fn without_notice(address: &str) -> String {
    let Some((path, query)) = address.split_once('?') else {
        return address.to_string();
    };
    let rest = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .filter(|(k, _)| k != "notice"),
        )
        .finish();
    if rest.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{rest}")
    }
}

/// Clears the cookie whose notice this response shows.
pub fn clear(state: &AppState, resp: &mut Response) {
    resp.headers_mut().append(
        header::SET_COOKIE,
        cookie(state, NOTICE_COOKIE, String::new(), Some(0)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_loses_only_its_notice() {
        assert_eq!(without_notice("/account?notice=saved"), "/account");
        assert_eq!(
            without_notice("/library?q=walk&notice=x&page=2"),
            "/library?q=walk&page=2"
        );
        assert_eq!(without_notice("/plans"), "/plans");
    }

    #[test]
    fn a_redirect_notice_moves_and_the_rest_stays() {
        assert_eq!(
            move_notice("/plans/1?notice=saved#wa-2"),
            Some(("/plans/1#wa-2".to_string(), "saved".to_string()))
        );
        assert_eq!(
            move_notice("/library?q=walk&notice=created"),
            Some(("/library?q=walk".to_string(), "created".to_string()))
        );
        assert_eq!(move_notice("/library?q=walk"), None);
        assert_eq!(move_notice("https://elsewhere.example/?notice=x"), None);
        assert_eq!(move_notice("/x?notice=%3Cscript%3E"), None);
    }

    #[test]
    fn codes_are_short_words() {
        assert!(is_code("saved") && is_code("signed-out") && is_code("registered_1"));
        assert!(
            !is_code("") && !is_code("<script>") && !is_code("a b") && !is_code(&"x".repeat(41))
        );
    }
}
