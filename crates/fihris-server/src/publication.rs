//! What the record is published as: the compendium set as a PDF
//! (fihris-typeset, `/publication.pdf`) and the data files of the
//! downloads page (`/downloads/{file}`: the record as JSON, the index as
//! CSV and SKOS, the Akoma Ntoso documents as a zip). Each is built from
//! the record being served on the first request, on a blocking thread,
//! once however many ask at the same time, and kept with the app:
//! publishing an edition brings a new app, whose files are built anew.

use std::future::Future;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use fihris_model::Corpus;

use crate::error::Error;
use crate::state::{App, Download};

/// The data files of `corpus`, in the order the page lists them.
fn data_files(corpus: &Corpus) -> Result<Vec<Download>, String> {
    let mut json = Vec::new();
    fihris_publish::write_json(&mut json, corpus).map_err(|e| e.to_string())?;
    let mut csv = Vec::new();
    fihris_publish::write_topic_csv(&mut csv, corpus).map_err(|e| e.to_string())?;
    let mut skos = Vec::new();
    fihris_publish::write_skos(&mut skos, corpus).map_err(|e| e.to_string())?;
    Ok(vec![
        Download {
            file: "fihris-record.json",
            content_type: "application/json",
            what_ar: "السجل كاملًا: الأقسام والأحكام والحواشي والموضوعات وما وجده المدقق (JSON، كما يكتبه fihris export)",
            what_en: "The whole record: sections, provisions, footnotes, topics and findings (JSON, as fihris export writes it)",
            bytes: json,
        },
        Download {
            file: "fihris-filings.csv",
            content_type: "text/csv; charset=utf-8",
            what_ar: "الفهرس المواضيعي جدولًا: صف لكل حكم في كل موضوع (CSV)",
            what_en: "The thematic index as a table: one row per provision filed under a topic (CSV)",
            bytes: csv,
        },
        Download {
            file: "fihris-topics.ttl",
            content_type: "text/turtle; charset=utf-8",
            what_ar: "الموضوعات مخططَ مفاهيم SKOS بالعربية والإنكليزية (Turtle)",
            what_en: "The topics as a SKOS concept scheme in Arabic and English (Turtle)",
            bytes: skos,
        },
        Download {
            file: "fihris-akn.zip",
            content_type: "application/zip",
            what_ar: "كل وثيقة مصدر بصيغة Akoma Ntoso 3.0، ملفًا لكل وثيقة (zip)",
            what_en: "Every source document as Akoma Ntoso 3.0 XML, one file each (zip)",
            bytes: fihris_publish::akn_zip(corpus),
        },
    ])
}

/// `build` run once on a blocking thread, its failure logged and made a 500.
async fn built<T>(
    what: &'static str,
    cell: impl Future<Output = Result<T, String>>,
) -> Result<T, Error> {
    cell.await.map_err(|e| {
        tracing::error!(error = %e, what, "a publication could not be made");
        Error::internal(
            format!("the {what} could not be made: {e}"),
            "تعذّر إعداد الملف",
        )
    })
}

/// Runs `f` on a blocking thread.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| e.to_string())?
}

/// The record's PDF, set on first use.
pub async fn pdf_bytes(app: &Arc<App>) -> Result<Arc<[u8]>, Error> {
    let cell = app.publication.get_or_try_init(|| {
        let app = Arc::clone(app);
        blocking(move || {
            fihris_typeset::compendium_pdf(&app.corpus)
                .map(|p| Arc::from(p.pdf))
                .map_err(|e| e.to_string())
        })
    });
    built("publication", async { cell.await.cloned() }).await
}

/// The record's data files, made on first use.
pub async fn downloads(app: &Arc<App>) -> Result<Arc<[Download]>, Error> {
    let cell = app.downloads.get_or_try_init(|| {
        let app = Arc::clone(app);
        blocking(move || data_files(&app.corpus).map(Arc::from))
    });
    built("data files", async { cell.await.cloned() }).await
}

/// `GET /publication.pdf`.
pub async fn pdf(State(app): State<Arc<App>>) -> Result<Response, Error> {
    let pdf = pdf_bytes(&app).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"fihris-compendium.pdf\"",
            ),
        ],
        axum::body::Bytes::from_owner(pdf),
    )
        .into_response())
}

/// `GET /downloads/{file}`: one data file, as an attachment.
pub async fn file(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
) -> Result<Response, Error> {
    let files = downloads(&app).await?;
    let Some(k) = files.iter().position(|d| d.file == name) else {
        return Err(Error::not_found(
            format!("no download {name:?}"),
            format!("لا ملف للتنزيل باسم {name}"),
        ));
    };
    let d = &files[k];
    Ok((
        [
            (header::CONTENT_TYPE, d.content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", d.file),
            ),
        ],
        axum::body::Bytes::from_owner(FileBytes(files, k)),
    )
        .into_response())
}

/// The bytes of the `k`-th file, kept alive with the others.
struct FileBytes(Arc<[Download]>, usize);

impl AsRef<[u8]> for FileBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0[self.1].bytes
    }
}
