//! The preview server: the output folder as it is on disk, plus the event
//! stream that reloads pages, plus a small script put into every HTML page it
//! sends (never into the built files). Files outside the output are never
//! served, and only requests addressed to this computer are answered.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::{ServeDir, ServeFile};

use super::live::{Live, Outcome, Reload};

/// Where pages listen for rebuilds. Under a name no site can have (`__duben`
/// is not a valid slug), so it never hides a file of the site.
pub const EVENTS_PATH: &str = "/__duben/events";

/// Put into HTML pages before `</body>`.
const RELOAD_SCRIPT: &str = include_str!("live-reload.js");

/// A page served after a build failed: it can only hold the errors.
const NO_OUTPUT_PAGE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>duben: the site has errors</title></head>\n<body><p>The site could not be built, and there is no earlier version to show.</p></body></html>\n";

/// Pages are small; this only stops a runaway file from filling memory.
const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

pub fn router(live: Arc<Live>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(site_file)
        .layer(axum::middleware::from_fn(only_for_this_computer))
        .with_state(live)
}

/// Refuses a request whose `Host` is not this computer. The server listens
/// on 127.0.0.1 only, but a web page elsewhere can point its own domain's
/// name at 127.0.0.1 (DNS rebinding) and then read the preview, drafts and
/// all, as if it were its own site; such requests still name that domain.
async fn only_for_this_computer(request: Request, next: axum::middleware::Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    if host.is_some_and(is_this_computer) {
        return next.run(request).await;
    }
    let named = host.unwrap_or("no Host header");
    (
        StatusCode::FORBIDDEN,
        format!(
            "duben serve answers requests for 127.0.0.1, localhost or [::1] only, not for {named}: open the address it printed\n"
        ),
    )
        .into_response()
}

/// `127.0.0.1`, `localhost` or `[::1]`, with or without a port.
fn is_this_computer(host: &str) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((address, "")) => (address, None),
            Some((address, after)) => match after.strip_prefix(':') {
                Some(port) => (address, Some(port)),
                None => return false,
            },
            None => return false,
        },
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port_ok = port.is_none_or(|port| port.parse::<u16>().is_ok());
    port_ok && matches!(name.to_ascii_lowercase().as_str(), "127.0.0.1" | "localhost" | "::1")
}

/// One event for the state on connecting, then one per rebuild: `reload`
/// after a good build, `build-error` (JSON `{report}`) after a failed one.
async fn events(State(live): State<Arc<Live>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state, so no rebuild falls in between.
    let rebuilds = BroadcastStream::new(live.subscribe()).filter_map(|received| async move { received.ok() });
    let now = stream::once(std::future::ready(connected_event(&live.outcome())));
    let stream = now
        .chain(rebuilds.map(|outcome| rebuild_event(&outcome)))
        .map(Ok::<_, Infallible>);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn connected_event(outcome: &Outcome) -> Event {
    match outcome {
        Outcome::Built { .. } => Event::default().event("hello").data("{}"),
        Outcome::Failed { .. } => rebuild_event(outcome),
    }
}

fn rebuild_event(outcome: &Outcome) -> Event {
    let (name, data) = match outcome {
        Outcome::Built { pages, millis, reload } => {
            let mut data = serde_json::json!({ "pages": pages, "millis": millis });
            match reload {
                Reload::All => {}
                Reload::Only(articles) => data["only"] = serde_json::json!(articles),
                Reload::AllBut(articles) => data["except"] = serde_json::json!(articles),
            }
            ("reload", data)
        }
        Outcome::Failed { report } => ("build-error", serde_json::json!({ "report": report })),
    };
    Event::default().event(name).data(data.to_string())
}

/// A file of the last good output; the site's own 404 page for anything else.
async fn site_file(State(live): State<Arc<Live>>, mut request: Request) -> Response {
    // The preview is never cached, so a browser never keeps a stale page.
    for conditional in [header::IF_MODIFIED_SINCE, header::IF_NONE_MATCH, header::RANGE] {
        request.headers_mut().remove(conditional);
    }
    let is_head = request.method() == Method::HEAD;
    let output = live.output_dir();
    let mut files = ServeDir::new(&output).not_found_service(ServeFile::new(output.join("404.html")));
    let response = match files.try_call(request).await {
        Ok(response) => response.map(Body::new),
        Err(error) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot read the file: {error}"),
            )
                .into_response();
        }
    };
    let failed = matches!(live.outcome(), Outcome::Failed { .. });
    let mut response = if response.status() == StatusCode::NOT_FOUND && !is_html(&response) && failed {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html")],
            NO_OUTPUT_PAGE,
        )
            .into_response()
    } else {
        response
    };
    set_charset(&mut response);
    let headers = response.headers_mut();
    headers.remove(header::LAST_MODIFIED);
    headers.remove(header::ETAG);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if is_html(&response) && !is_head {
        with_reload_script(response).await
    } else {
        response
    }
}

fn is_html(response: &Response) -> bool {
    content_type(response).is_some_and(|t| t.starts_with("text/html"))
}

fn content_type(response: &Response) -> Option<&str> {
    response.headers().get(header::CONTENT_TYPE)?.to_str().ok()
}

/// Text types are sent with `charset=utf-8`: every file duben writes is UTF-8,
/// and without it a browser may guess another encoding for Chinese text.
fn set_charset(response: &mut Response) {
    let Some(with_charset) = content_type(response).and_then(content_type_with_charset) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&with_charset) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
}

fn content_type_with_charset(content_type: &str) -> Option<String> {
    if content_type.contains("charset=") {
        return None;
    }
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let essence = match essence {
        // RFC 9239: JavaScript is text/javascript.
        "application/javascript" => "text/javascript",
        other => other,
    };
    let textual = essence.starts_with("text/")
        || matches!(
            essence,
            "application/json" | "application/xml" | "image/svg+xml" | "application/manifest+json"
        );
    textual.then(|| format!("{essence}; charset=utf-8"))
}

/// Rewrites an HTML response's body with the reload script before `</body>`.
async fn with_reload_script(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be read").into_response();
    };
    let page = insert_reload_script(&String::from_utf8_lossy(&bytes));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

fn insert_reload_script(page: &str) -> String {
    let script = format!("<script>{RELOAD_SCRIPT}</script>\n");
    // ASCII lower-casing keeps byte offsets, so the position fits `page`.
    let at = page.to_ascii_lowercase().rfind("</body>").unwrap_or(page.len());
    let mut out = String::with_capacity(page.len() + script.len());
    out.push_str(&page[..at]);
    out.push_str(&script);
    out.push_str(&page[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = insert_reload_script("<p>&lt;/body&gt;</p>\n</BODY></html>");
        let at = page.find("<script>").unwrap();
        assert!(page[at..].contains("</script>\n</BODY></html>"), "{page}");
    }

    #[test]
    fn a_page_without_body_end_gets_the_script_at_the_end() {
        assert!(insert_reload_script("<p>hi").ends_with("</script>\n"));
    }

    #[test]
    fn only_this_computer_s_names_are_answered() {
        for host in [
            "127.0.0.1",
            "127.0.0.1:1111",
            "localhost:8080",
            "LOCALHOST",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(is_this_computer(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example:80",
            "[::2]:1111",
            "[::1]x",
            "127.0.0.1:port",
            "",
        ] {
            assert!(!is_this_computer(host), "{host}");
        }
    }

    #[test]
    fn text_types_get_a_charset() {
        let cases = [
            ("text/html", Some("text/html; charset=utf-8")),
            ("text/css", Some("text/css; charset=utf-8")),
            ("application/javascript", Some("text/javascript; charset=utf-8")),
            ("image/svg+xml", Some("image/svg+xml; charset=utf-8")),
            ("application/json", Some("application/json; charset=utf-8")),
            ("text/html; charset=utf-8", None),
            ("image/png", None),
        ];
        for (given, expected) in cases {
            assert_eq!(content_type_with_charset(given).as_deref(), expected, "{given}");
        }
    }
}
