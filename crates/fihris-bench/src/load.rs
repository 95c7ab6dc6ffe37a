//! An open-loop HTTP load generator for `fihris serve` on loopback.
//!
//! Requests are *scheduled* at a fixed rate (request `i` at `start + i /
//! rate`) and handed to a pool of keep-alive connections; each latency is
//! measured from the request's scheduled time, not from when a connection
//! was free to send it, so a server that falls behind shows its queueing in
//! the percentiles (no coordinated omission, as in wrk2).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Mutex, mpsc};

/// What one run at one rate measured.
#[derive(Debug, Clone, Serialize)]
pub struct LoadResult {
    /// What was requested (a label).
    pub target: String,
    /// Scheduled requests per second.
    pub rate: f64,
    /// Requests scheduled.
    pub sent: usize,
    /// Responses with status 200.
    pub ok: usize,
    /// Other statuses and I/O errors.
    pub errors: usize,
    /// Completed requests per second of wall time.
    pub achieved: f64,
    /// Median latency (ms).
    pub p50_ms: f64,
    /// 90th percentile (ms).
    pub p90_ms: f64,
    /// 99th percentile (ms).
    pub p99_ms: f64,
    /// Slowest (ms).
    pub max_ms: f64,
}

/// One keep-alive HTTP/1.1 connection that sends GETs one at a time.
struct Conn {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
}

impl Conn {
    async fn get(&mut self, path: &str) -> std::io::Result<u16> {
        if self.stream.is_none() {
            let s = TcpStream::connect(self.addr).await?;
            s.set_nodelay(true)?;
            self.stream = Some(s);
        }
        let result = self.exchange(path).await;
        if result.is_err() {
            self.stream = None;
        }
        result
    }

    async fn exchange(&mut self, path: &str) -> std::io::Result<u16> {
        let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
        let Some(stream) = self.stream.as_mut() else {
            return Err(bad("not connected"));
        };
        stream
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: fihris\r\n\r\n").as_bytes())
            .await?;
        self.buf.clear();
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = std::str::from_utf8(&self.buf[..end]).map_err(|_| bad("head"))?;
                let status = head
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse::<u16>().ok())
                    .ok_or_else(|| bad("status line"))?;
                let length = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())?
                    })
                    .ok_or_else(|| bad("no content-length"))?;
                let need = end + 4 + length;
                while self.buf.len() < need {
                    if stream.read_buf(&mut self.buf).await? == 0 {
                        return Err(bad("connection closed mid-body"));
                    }
                }
                return Ok(status);
            }
            if stream.read_buf(&mut self.buf).await? == 0 {
                return Err(bad("connection closed"));
            }
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k.min(sorted.len() - 1)]
}

/// Sends `rate × duration` GETs of `paths` (in turn) to `addr` through
/// `connections` keep-alive connections, on schedule, and measures them.
pub async fn run(
    target: &str,
    addr: SocketAddr,
    paths: Arc<Vec<String>>,
    rate: f64,
    duration: Duration,
    connections: usize,
) -> LoadResult {
    let total = (rate * duration.as_secs_f64()).round() as usize;
    let (tx, rx) = mpsc::channel::<(Instant, usize)>(total.max(1));
    let rx = Arc::new(Mutex::new(rx));
    let start = Instant::now() + Duration::from_millis(50);
    let mut workers = Vec::new();
    for _ in 0..connections.max(1) {
        let rx = rx.clone();
        let paths = paths.clone();
        workers.push(tokio::spawn(async move {
            let mut conn = Conn {
                addr,
                stream: None,
                buf: Vec::with_capacity(64 * 1024),
            };
            let mut out: Vec<(f64, bool)> = Vec::new();
            loop {
                let job = rx.lock().await.recv().await;
                let Some((due, i)) = job else { break };
                let ok = matches!(conn.get(&paths[i % paths.len()]).await, Ok(200));
                out.push((due.elapsed().as_secs_f64() * 1e3, ok));
            }
            out
        }));
    }
    for i in 0..total {
        let due = start + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(due.into()).await;
        if tx.send((due, i)).await.is_err() {
            break;
        }
    }
    drop(tx);
    let mut latencies = Vec::with_capacity(total);
    let mut errors = 0;
    for w in workers {
        for (ms, ok) in w.await.unwrap_or_default() {
            latencies.push(ms);
            if !ok {
                errors += 1;
            }
        }
    }
    let wall = start.elapsed().as_secs_f64();
    errors += total.saturating_sub(latencies.len());
    latencies.sort_by(f64::total_cmp);
    LoadResult {
        target: target.to_owned(),
        rate,
        sent: total,
        ok: total.saturating_sub(errors),
        errors,
        achieved: latencies.len() as f64 / wall,
        p50_ms: percentile(&latencies, 0.50),
        p90_ms: percentile(&latencies, 0.90),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().copied().unwrap_or(f64::NAN),
    }
}

/// Starts `fihris-bench load-server` (this executable) as a child process
/// and reads the address it listens on.
pub fn start_server(source: &std::path::Path) -> anyhow::Result<(std::process::Child, SocketAddr)> {
    use std::io::BufRead;
    let mut child = std::process::Command::new(std::env::current_exe()?)
        .args(["--source", &source.display().to_string(), "load-server"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout from the server"))?;
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let addr = line
        .trim()
        .strip_prefix("listening ")
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("the server said {line:?}"))?;
    Ok((child, addr))
}

/// The server side of `load`: the real app, its request logs formatted
/// (to a sink), on a loopback port; prints `listening <addr>`.
pub fn serve(corpus: fihris_model::Corpus) -> anyhow::Result<()> {
    fihris_server::init_logs(true, std::io::sink);
    let app = Arc::new(fihris_server::App::new(corpus)?);
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        println!("listening {}", listener.local_addr()?);
        axum::serve(listener, fihris_server::router(app)).await?;
        Ok(())
    })
}

/// The request paths: one search per query of the fixed query set.
pub fn search_paths(queries: &[String]) -> Vec<String> {
    queries
        .iter()
        .map(|q| format!("/api/v1/search?q={}", fihris_server::url_encode(q)))
        .collect()
}
