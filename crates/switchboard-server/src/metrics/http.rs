//! How long HTTP requests take, by method, route template and status class. Routes are the
//! router's templates (`/api/v1/conversations/{id}/messages`), never the path asked for, so
//! ids and phone numbers in paths never become labels; a path no route matches is `unmatched`.

use super::histogram::{Histogram, HistogramSnapshot, LATENCY_BUCKETS};
use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    route: String,
    method: &'static str,
    class: &'static str,
}

/// One histogram per (route, method, status class) seen so far.
#[derive(Debug, Default)]
pub struct HttpMetrics {
    seen: RwLock<HashMap<Key, Arc<Histogram>>>,
}

/// A histogram's labels and counts, for writing.
pub struct RouteSnapshot {
    pub route: String,
    pub method: &'static str,
    pub class: &'static str,
    pub snapshot: HistogramSnapshot,
}

impl HttpMetrics {
    pub fn observe(
        &self,
        method: &Method,
        route: Option<&str>,
        status: StatusCode,
        took: Duration,
    ) {
        let key = Key {
            route: route.unwrap_or("unmatched").to_owned(),
            method: method_label(method),
            class: status_class(status),
        };
        let known = self
            .seen
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned();
        let histogram = match known {
            Some(histogram) => histogram,
            None => self
                .seen
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .entry(key)
                .or_insert_with(|| Arc::new(Histogram::new(LATENCY_BUCKETS)))
                .clone(),
        };
        histogram.observe(took);
    }

    /// Every histogram, sorted by route, method and class so scrapes read alike.
    pub fn snapshots(&self) -> Vec<RouteSnapshot> {
        let seen = self.seen.read().unwrap_or_else(|p| p.into_inner());
        let mut all: Vec<_> = seen.iter().collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all.into_iter()
            .map(|(key, histogram)| RouteSnapshot {
                route: key.route.clone(),
                method: key.method,
                class: key.class,
                snapshot: histogram.snapshot(),
            })
            .collect()
    }
}

/// Times every request up to its response head (a streamed export's body is not included).
pub async fn track(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned());
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.http.observe(
        &method,
        route.as_deref(),
        response.status(),
        started.elapsed(),
    );
    response
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        // Anything else is client-chosen text: one label for all of it.
        _ => "other",
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_grouped_by_template_method_and_class() {
        let metrics = HttpMetrics::default();
        let template = Some("/api/v1/conversations/{id}/messages");
        let ms = Duration::from_millis(3);
        metrics.observe(&Method::GET, template, StatusCode::OK, ms);
        metrics.observe(&Method::GET, template, StatusCode::NO_CONTENT, ms);
        metrics.observe(&Method::GET, template, StatusCode::NOT_FOUND, ms);
        metrics.observe(
            &Method::from_bytes(b"BREW").unwrap(),
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            ms,
        );
        let all = metrics.snapshots();
        let found: Vec<_> = all
            .iter()
            .map(|s| (s.route.as_str(), s.method, s.class, s.snapshot.count))
            .collect();
        assert_eq!(
            found,
            vec![
                ("/api/v1/conversations/{id}/messages", "GET", "2xx", 2),
                ("/api/v1/conversations/{id}/messages", "GET", "4xx", 1),
                ("unmatched", "other", "4xx", 1),
            ]
        );
    }
}
