//! What the server serves: the record, its search index, and meaning
//! search once its model is loaded.

use std::sync::{Arc, RwLock};

use fihris_meaning::Engine;
use fihris_model::Corpus;
use fihris_search::{SearchIndex, docs_of};
use serde::Serialize;

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
    model: RwLock<Model>,
}

impl App {
    /// Builds the search index of a record; meaning search starts `Off`.
    pub fn new(corpus: Corpus) -> Result<App, fihris_search::index::IndexError> {
        let index = SearchIndex::build(docs_of(&corpus), None, |_| {})?;
        Ok(App {
            corpus,
            index,
            model: RwLock::new(Model::Off),
        })
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
