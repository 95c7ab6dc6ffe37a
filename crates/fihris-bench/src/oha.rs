//! Load, soak and idle connections with `oha` (crates.io: `cargo install
//! oha --locked`), a load generator not our own, against the real `fihris
//! serve` release binary on loopback: mixed real queries at a fixed rate
//! beside a static file at the same rate (the floor of the same stack);
//! the same queries beside a thousand idle keep-alive connections; and a
//! long run at a lower rate with the server's resident memory sampled.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::Value;

/// One oha run.
#[derive(Debug, Clone)]
pub struct Run {
    /// What was requested.
    pub label: String,
    /// Requests per second asked of oha.
    pub rate: u32,
    /// Seconds.
    pub seconds: u64,
    /// Responses 200.
    pub ok: u64,
    /// Other statuses and errors (requests cut by the end of the run not
    /// counted: they are the generator's deadline, not the server's).
    pub errors: u64,
    /// Requests still in flight when the run ended.
    pub cut: u64,
    /// Completed requests per second.
    pub achieved: f64,
    /// Latency percentiles (ms).
    pub p50: f64,
    /// 90th.
    pub p90: f64,
    /// 99th.
    pub p99: f64,
    /// Slowest (ms).
    pub max: f64,
}

/// A `fihris serve` child on a loopback port, its data in a temporary
/// directory; killed on drop.
pub struct Server {
    child: Child,
    data: PathBuf,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Server {
    /// Starts the `fihris` release binary beside this executable with
    /// `args` (words only, no rate limit, warnings only in its log), and
    /// waits until it answers.
    pub fn start(args: &[&str]) -> anyhow::Result<Server> {
        let exe = std::env::current_exe()?.with_file_name("fihris");
        if !exe.is_file() {
            bail!(
                "{} not found: build it with `cargo build --release -p fihris`",
                exe.display()
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let addr = format!("127.0.0.1:{port}");
        let data = std::env::temp_dir().join(format!("fihris-oha-{}-{port}", std::process::id()));
        let child = Command::new(exe)
            .args(["serve", "--addr", &addr, "--no-model", "--rate-limit", "0"])
            .arg("--data")
            .arg(&data)
            .args(args)
            .env("FIHRIS_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?;
        let server = Server { child, data, addr };
        let deadline = Instant::now() + Duration::from_secs(60);
        while get(&server.addr, "/api/v1/health").is_err() {
            if Instant::now() > deadline {
                bail!("fihris serve did not answer within 60 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(server)
    }

    /// The server's resident memory (MiB) and threads, from /proc.
    pub fn rss_mib(&self) -> anyhow::Result<(f64, u32)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let field = |name: &str| -> anyhow::Result<f64> {
            Ok(status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .with_context(|| format!("no {name}"))?
                .parse()?)
        };
        Ok((field("VmRSS:")? / 1024.0, field("Threads:")? as u32))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// One GET on a keep-alive connection, the response's first line read;
/// the connection is returned open.
fn get(addr: &str, path: &str) -> std::io::Result<TcpStream> {
    let mut s = TcpStream::connect(addr)?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n")?;
    let mut head = [0u8; 12];
    s.read_exact(&mut head)?;
    if &head != b"HTTP/1.1 200" {
        return Err(std::io::Error::other(format!(
            "{path}: {}",
            String::from_utf8_lossy(&head)
        )));
    }
    Ok(s)
}

/// The URLs of `queries` on `addr`'s search endpoint.
pub fn search_urls(addr: &str, queries: &[String]) -> Vec<String> {
    crate::load::search_paths(queries)
        .into_iter()
        .map(|p| format!("http://{addr}{p}"))
        .collect()
}

/// Runs oha over `urls` (taken in turn) at `rate` for `seconds` on
/// `connections` keep-alive connections, latency corrected for
/// coordinated omission.
pub fn oha(
    label: &str,
    urls: &[String],
    rate: u32,
    seconds: u64,
    connections: usize,
) -> anyhow::Result<Run> {
    let file = std::env::temp_dir().join(format!("fihris-oha-urls-{}", std::process::id()));
    std::fs::write(&file, urls.join("\n") + "\n")?;
    let out = Command::new("oha")
        .args([
            "--no-tui",
            "--output-format",
            "json",
            "--latency-correction",
        ])
        .args(["-z", &format!("{seconds}s"), "-q", &rate.to_string()])
        .args(["-c", &connections.to_string(), "--urls-from-file"])
        .arg(&file)
        .stderr(Stdio::inherit())
        .output()
        .context("run oha (cargo install oha --locked)")?;
    let _ = std::fs::remove_file(&file);
    if !out.status.success() {
        bail!("oha failed: {}", out.status);
    }
    let v: Value = serde_json::from_slice(&out.stdout)?;
    let ms = |p: &str| v["latencyPercentiles"][p].as_f64().unwrap_or(f64::NAN) * 1000.0;
    let statuses = v["statusCodeDistribution"]
        .as_object()
        .context("no status codes")?;
    let count = |m: &serde_json::Map<String, Value>, pred: &dyn Fn(&str) -> bool| -> u64 {
        m.iter()
            .filter(|(k, _)| pred(k))
            .map(|(_, n)| n.as_u64().unwrap_or(0))
            .sum()
    };
    let ok = count(statuses, &|k| k == "200");
    let empty = serde_json::Map::new();
    let failures = v["errorDistribution"].as_object().unwrap_or(&empty);
    let cut = count(failures, &|k| k == "aborted due to deadline");
    let errors =
        count(statuses, &|k| k != "200") + count(failures, &|k| k != "aborted due to deadline");
    let total = v["summary"]["total"].as_f64().unwrap_or(seconds as f64);
    Ok(Run {
        label: label.to_owned(),
        rate,
        seconds,
        ok,
        errors,
        cut,
        achieved: (ok + errors) as f64 / total,
        p50: ms("p50"),
        p90: ms("p90"),
        p99: ms("p99"),
        max: v["summary"]["slowest"].as_f64().unwrap_or(f64::NAN) * 1000.0,
    })
}

/// Opens `n` keep-alive connections to `addr`, each after one request,
/// and leaves them idle.
pub fn idle_connections(addr: &str, n: usize) -> anyhow::Result<Vec<TcpStream>> {
    (0..n)
        .map(|i| get(addr, "/api/v1/health").with_context(|| format!("idle connection {i}")))
        .collect()
}

/// How many of `conns` the server still holds open (not closed on its side).
pub fn still_open(conns: &[TcpStream]) -> usize {
    conns
        .iter()
        .filter(|&s| {
            let _ = s.set_nonblocking(true);
            let mut s = s;
            let mut buf = [0u8; 4096];
            // Drain what is left of the first response; 0 is a close.
            loop {
                match s.read(&mut buf) {
                    Ok(0) => return false,
                    Ok(_) => continue,
                    Err(e) => return e.kind() == std::io::ErrorKind::WouldBlock,
                }
            }
        })
        .count()
}

/// One reading of the server during a soak: seconds since the start,
/// resident memory (MiB), threads.
pub type Sample = (f64, f64, u32);

/// A soak: oha over `urls` at `rate` for `seconds`, the server's resident
/// memory sampled every `every`; returns the run and the samples
/// (seconds since start, MiB, threads).
pub fn soak(
    server: &Server,
    urls: &[String],
    rate: u32,
    seconds: u64,
    every: Duration,
) -> anyhow::Result<(Run, Vec<Sample>)> {
    let started = Instant::now();
    let (mib, threads) = server.rss_mib()?;
    let mut samples = vec![(0.0, mib, threads)];
    let (run, rss) = std::thread::scope(|scope| {
        let load = scope.spawn(|| oha("search (soak)", urls, rate, seconds, 16));
        let mut rss = Vec::new();
        while !load.is_finished() {
            std::thread::sleep(every.min(Duration::from_millis(500)));
            let t = started.elapsed().as_secs_f64();
            if rss
                .last()
                .is_none_or(|(last, _, _)| t - last >= every.as_secs_f64())
            {
                let (mib, threads) = server.rss_mib().unwrap_or((f64::NAN, 0));
                rss.push((t, mib, threads));
            }
        }
        (load.join(), rss)
    });
    samples.extend(rss);
    let run = run.map_err(|_| anyhow::anyhow!("the soak's load thread panicked"))??;
    Ok((run, samples))
}

/// The markdown row of `r`.
pub fn row(r: &Run) -> String {
    format!(
        "| {} | {} | {} | {:.0} | {:.2} | {:.2} | **{:.2}** | {:.2} | **{}** | {} |",
        r.label, r.rate, r.seconds, r.achieved, r.p50, r.p90, r.p99, r.max, r.errors, r.cut
    )
}

/// The header of [`row`]s.
pub const HEADER: &str = "| target | rate (req/s) | s | achieved (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | errors | cut at the end |\n|---|---|---|---|---|---|---|---|---|---|";
