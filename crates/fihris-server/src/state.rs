//! What the server serves: the record, its search index, and meaning
//! search once its model is loaded.

use std::sync::{Arc, OnceLock, RwLock};

use fihris_agreed::phrases::Phrases;
use fihris_agreed::similar::Wording;
use fihris_meaning::Engine;
use fihris_model::Corpus;
use fihris_search::dense::DenseIndex;
use fihris_search::{SearchIndex, docs_of};
use fihris_suggest::{Filings, Precision};
use fihris_view::Editions;
use serde::Serialize;

/// The provisions' vectors at hand: the loaded engine's or those stored.
pub enum ProvisionVectors<'a> {
    /// The loaded model's.
    Engine(Arc<Engine>),
    /// Read from disk without the model.
    Stored(&'a DenseIndex),
}

impl ProvisionVectors<'_> {
    /// The index of vectors.
    pub fn index(&self) -> &DenseIndex {
        match self {
            ProvisionVectors::Engine(e) => e.provisions(),
            ProvisionVectors::Stored(d) => d,
        }
    }
}

/// A data file of the downloads page.
pub struct Download {
    /// Its file name under `/downloads/`.
    pub file: &'static str,
    /// Its media type.
    pub content_type: &'static str,
    /// What it holds, in Arabic.
    pub what_ar: &'static str,
    /// What it holds, in English.
    pub what_en: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Where meaning search stands.
#[derive(Clone)]
pub enum Model {
    /// Switched off (`fihris serve --no-model`): words only.
    Off,
    /// Being fetched or loaded; the last step.
    Loading(String),
    /// Loaded: searches are hybrid by default.
    Ready(Arc<Engine>),
    /// Could not be loaded (why): words only.
    Failed(String),
}

/// The state of meaning search as the health endpoint reports it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ModelStatus {
    /// `off`, `loading`, `ready` or `failed`.
    pub state: &'static str,
    /// The last loading step, the model's name, or why it failed.
    pub detail: String,
}

/// What the server serves.
pub struct App {
    /// The record.
    pub corpus: Corpus,
    /// Its search index.
    pub index: SearchIndex,
    /// The shingles of its provisions (similar provisions by wording).
    pub wording: Wording,
    /// Its formulations reused across meetings and sessions.
    pub phrases: Phrases,
    /// Topic suggestions: the filings and their measured precision.
    pub suggestions: Suggestions,
    /// The editions of the record with their records (none: the record
    /// alone, as parsed).
    pub editions: Editions,
    /// The provisions' stored vectors, if any: similar provisions rank by
    /// meaning with them even before the model is loaded, or without it.
    vectors: Option<DenseIndex>,
    model: RwLock<Model>,
    /// The record set as a PDF, once asked for (`/publication.pdf`).
    pub(crate) publication: tokio::sync::OnceCell<Arc<[u8]>>,
    /// The data files of the downloads page, once asked for.
    pub(crate) downloads: tokio::sync::OnceCell<Arc<[Download]>>,
}

impl App {
    /// Builds the search index of a record; meaning search starts `Off`.
    pub fn new(corpus: Corpus) -> Result<App, fihris_search::index::IndexError> {
        let index = SearchIndex::build(docs_of(&corpus), None, |_| {})?;
        Ok(App {
            wording: Wording::new(&corpus),
            phrases: Phrases::find(&corpus),
            suggestions: Default::default(),
            editions: Editions::default(),
            vectors: None,
            corpus,
            index,
            model: RwLock::new(Model::Off),
            publication: Default::default(),
            downloads: Default::default(),
        })
    }

    /// With the provisions' stored vectors (see
    /// [`fihris_meaning::stored_provisions`]).
    pub fn with_vectors(mut self, vectors: Option<DenseIndex>) -> App {
        self.vectors = vectors;
        self
    }

    /// The provisions' vectors: the loaded model's, else the stored ones.
    pub fn provision_vectors(&self) -> Option<ProvisionVectors<'_>> {
        match self.engine() {
            Some(e) => Some(ProvisionVectors::Engine(e)),
            None => self.vectors.as_ref().map(ProvisionVectors::Stored),
        }
    }

    /// With the record's editions (the served record is the last
    /// published one).
    pub fn with_editions(mut self, editions: Editions) -> App {
        self.editions = editions;
        self
    }

    /// Sets where meaning search stands.
    pub fn set_model(&self, model: Model) {
        match self.model.write() {
            Ok(mut m) => *m = model,
            Err(poisoned) => *poisoned.into_inner() = model,
        }
    }

    /// Where meaning search stands.
    pub fn model(&self) -> Model {
        match self.model.read() {
            Ok(m) => m.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The loaded meaning engine, if any.
    pub fn engine(&self) -> Option<Arc<Engine>> {
        match self.model() {
            Model::Ready(e) => Some(e),
            _ => None,
        }
    }

    /// Where meaning search stands, for the health endpoint.
    pub fn model_status(&self) -> ModelStatus {
        let (state, detail) = match self.model() {
            Model::Off => ("off", "started with --no-model".to_owned()),
            Model::Loading(step) => ("loading", step),
            Model::Ready(e) => ("ready", e.model().name().to_owned()),
            Model::Failed(why) => ("failed", why),
        };
        ModelStatus { state, detail }
    }
}

/// Topic suggestions' data: the filings and the precision of each way of
/// suggesting, measured on first use.
#[derive(Default)]
pub struct Suggestions {
    pub(crate) filings: OnceLock<Filings>,
    pub(crate) by_wording: OnceLock<Precision>,
    pub(crate) by_meaning: OnceLock<Precision>,
}

/// The app being served, replaced whole when a new edition is published:
/// each request takes the app current when it starts (handlers extract
/// `State<Arc<App>>`, drawn from here), so a replacement never shows a
/// request half of one edition and half of another.
#[derive(Clone)]
pub struct Served {
    app: Arc<RwLock<Arc<App>>>,
    editor: Option<Arc<fihris_editorial::Editor>>,
}

impl Served {
    /// Serving `app` (read only: no editorial store).
    pub fn new(app: Arc<App>) -> Served {
        Served {
            app: Arc::new(RwLock::new(app)),
            editor: None,
        }
    }

    /// Taking writes through `editor` too (the write API).
    pub fn with_editor(mut self, editor: fihris_editorial::Editor) -> Served {
        self.editor = Some(Arc::new(editor));
        self
    }

    /// The editorial path, if the server has a store.
    pub fn editor(&self) -> Option<Arc<fihris_editorial::Editor>> {
        self.editor.clone()
    }

    /// The app now.
    pub fn current(&self) -> Arc<App> {
        match self.app.read() {
            Ok(a) => a.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Serves `app` from now on; it keeps the meaning model where the app
    /// before had got to. A loaded engine is carried over at once (its
    /// vectors are the edition before's), then, on a thread of its own,
    /// replaced by the engine of the new record: the same model, the
    /// vectors of what changed computed, the rest kept.
    pub fn replace(&self, app: Arc<App>) {
        let before = self.current();
        let model = before.model();
        app.set_model(model.clone());
        if let Model::Ready(engine) = model {
            let next = app.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                match engine.for_record(&before.corpus, &next.corpus) {
                    Ok(e) => {
                        next.set_model(Model::Ready(Arc::new(e)));
                        tracing::info!(
                            ready_ms = started.elapsed().as_millis() as u64,
                            "meaning search follows the new edition — البحث بالمعنى يشمل النسخة الجديدة"
                        );
                    }
                    Err(e) => tracing::warn!(
                        error = %e,
                        "the new edition's vectors could not be computed; meaning search keeps the edition before's — تعذّر حساب متجهات النسخة الجديدة"
                    ),
                }
            });
        }
        match self.app.write() {
            Ok(mut a) => *a = app,
            Err(poisoned) => *poisoned.into_inner() = app,
        }
    }

    /// Sets where meaning search stands, on the app now.
    pub fn set_model(&self, model: Model) {
        self.current().set_model(model);
    }
}

impl axum::extract::FromRef<Served> for Arc<App> {
    fn from_ref(served: &Served) -> Arc<App> {
        served.current()
    }
}
