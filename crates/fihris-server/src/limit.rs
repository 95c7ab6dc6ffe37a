//! Per-client rate limiting of the search endpoints (`/api/v1/search`,
//! `/search`, `/en/search`, `/search.csv`): each client address gets a
//! quota of searches per second with a burst of twice that; past it, a
//! bilingual 429 with `Retry-After`. Loopback clients (the machine itself,
//! a reverse proxy on it) are not limited unless asked; requests without a
//! known address (in-process tests) neither. Every other endpoint is
//! cheap enough not to need it.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::Error;

/// The default quota: searches per second per client.
pub const DEFAULT_PER_SECOND: u32 = 20;

/// Every this many checks, the addresses whose quota is whole again are
/// forgotten: the limiter keeps a state per address it has seen, which
/// would otherwise grow with every client for as long as the server runs.
const FORGET_EVERY: u64 = 4096;

/// How searches are limited.
#[derive(Clone)]
pub struct SearchLimit {
    limiter: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
    loopback: bool,
    checks: Arc<AtomicU64>,
}

impl SearchLimit {
    /// `per_second` searches per client address (burst: twice that); 0
    /// turns limiting off. Loopback clients are limited only if
    /// `loopback`.
    pub fn new(per_second: u32, loopback: bool) -> SearchLimit {
        let limiter = NonZeroU32::new(per_second).map(|n| {
            let burst = NonZeroU32::new(n.get().saturating_mul(2)).unwrap_or(n);
            Arc::new(RateLimiter::keyed(Quota::per_second(n).allow_burst(burst)))
        });
        SearchLimit {
            limiter,
            loopback,
            checks: Arc::default(),
        }
    }

    /// How long `ip` must wait, if it is over its quota now.
    fn wait(&self, ip: IpAddr) -> Option<std::time::Duration> {
        let limiter = self.limiter.as_ref()?;
        if ip.is_loopback() && !self.loopback {
            return None;
        }
        if self.checks.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            limiter.retain_recent();
        }
        limiter
            .check_key(&ip)
            .err()
            .map(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// Whether `path` is a search endpoint.
fn is_search(path: &str) -> bool {
    matches!(
        path,
        "/api/v1/search" | "/search" | "/en/search" | "/search.csv"
    )
}

/// The middleware: a 429 with `Retry-After` past the client's quota.
pub async fn limit_searches(
    State(limit): State<SearchLimit>,
    request: Request,
    next: Next,
) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(ip) = client.filter(|_| is_search(request.uri().path()))
        && let Some(wait) = limit.wait(ip)
    {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return Error::too_many(
            format!("too many searches from this address: try again in {seconds} s"),
            format!("طلبات بحث كثيرة من هذا العنوان: أعد المحاولة بعد {seconds} ثانية"),
        )
        .retry_after(seconds);
    }
    next.run(request).await
}
