//! Accepting connections: each served by hyper's HTTP/1.1 with a
//! header-read timeout (which also closes a keep-alive connection left
//! idle that long), up to a cap on open connections; past the cap a client
//! gets a short 503 with `Retry-After` and its connection is closed. On
//! Ctrl-C or SIGTERM the listener closes and the requests in flight finish.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::Error;

/// How connections are accepted.
#[derive(Debug, Clone, Copy)]
pub struct Connections {
    /// Longest wait for a request's headers, from the moment the server is
    /// ready to read them: on a new connection, and between the requests
    /// of a keep-alive connection (its idle timeout).
    pub header_timeout: Duration,
    /// Most connections open at once.
    pub max: usize,
}

impl Default for Connections {
    fn default() -> Connections {
        Connections {
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            max: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// Default [`Connections::header_timeout`].
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`Connections::max`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 2048;
/// Clients past the cap being told so at once; more are closed unanswered.
const REFUSING: usize = 64;
/// How long a client past the cap is given to send its request.
const REFUSE_WITHIN: Duration = Duration::from_secs(2);
/// How long the requests in flight are given to finish at shutdown.
const DRAIN: Duration = Duration::from_secs(10);
/// Most threads running blocking work (searches, drafts, writes) at once;
/// more wait their turn. Past the cores' count they add nothing but
/// memory: each new thread brings its stack and a malloc arena of its own
/// (about 0.8 MiB resident), and with no cap a burst of searches once grew
/// the server from 10 threads to 19 and by 6 MiB (docs/benchmarks.md, the
/// soak). mimalloc instead kept it flat, but at twice the memory.
const BLOCKING_THREADS: usize = 8;
/// How long an idle blocking thread is kept (tokio's default, 10 s, made
/// threads come and go with every burst).
const BLOCKING_KEEP_ALIVE: Duration = Duration::from_secs(600);

/// The runtime `fihris serve` runs on: a worker per core, at most
/// [`BLOCKING_THREADS`] threads for blocking work, kept once made.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .thread_keep_alive(BLOCKING_KEEP_ALIVE)
        .build()
}

/// Serves `router` on `listener` as the module says until `shutdown`
/// completes; `router` sees each client's address as
/// `ConnectInfo<SocketAddr>`.
pub async fn accept(
    listener: TcpListener,
    router: Router,
    connections: Connections,
    shutdown: impl Future<Output = ()>,
) {
    let open = Arc::new(Semaphore::new(connections.max.max(1)));
    let refusing = Arc::new(Semaphore::new(REFUSING));
    let busy = busy_router();
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(&e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        if let Ok(permit) = open.clone().try_acquire_owned() {
            let conn = builder(connections.header_timeout, true)
                .serve_connection(TokioIo::new(stream), service(router.clone(), peer));
            let conn = graceful.watch(conn);
            tokio::spawn(async move {
                if let Err(e) = conn.await {
                    tracing::debug!(%peer, error = %e, "connection ended");
                }
                drop(permit);
            });
        } else if let Ok(permit) = refusing.clone().try_acquire_owned() {
            tracing::warn!(%peer, max = connections.max, "too many connections: 503 — اتصالات أكثر من الحد");
            let conn = builder(REFUSE_WITHIN, false)
                .serve_connection(TokioIo::new(stream), service(busy.clone(), peer));
            tokio::spawn(async move {
                let _ = tokio::time::timeout(REFUSE_WITHIN, conn).await;
                drop(permit);
            });
        } else {
            drop(stream);
        }
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after {DRAIN:?}; closing them");
    }
}

/// HTTP/1.1 with the header-read timeout (hyper's timer).
fn builder(header_timeout: Duration, keep_alive: bool) -> http1::Builder {
    let mut b = http1::Builder::new();
    b.timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(keep_alive);
    b
}

/// `router` as a hyper service for the connection from `peer`.
fn service(
    router: Router,
    peer: SocketAddr,
) -> TowerToHyperService<
    tower::util::MapRequest<Router, impl FnMut(Request<Incoming>) -> Request<Incoming> + Clone>,
> {
    TowerToHyperService::new(router.map_request(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req
    }))
}

/// What a client past the cap is answered: 503, `Retry-After: 1`, with
/// the security headers of every response.
fn busy_router() -> Router {
    crate::harden(Router::new().fallback(|| async {
        Error::unavailable(
            "too many connections: try again in a second",
            "عدد الاتصالات أكثر من الحد: أعد المحاولة بعد ثانية",
        )
        .retry_after(1)
    }))
}

/// After a failed accept: a client that gave up is nothing; anything else
/// (out of file descriptors) is logged and waited out briefly rather than
/// retried in a busy loop.
async fn accept_failed(e: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accept failed — تعذّر قبول اتصال");
    tokio::time::sleep(Duration::from_millis(100)).await;
}
