//! The cross-check of the thematic index against a draft's text, shown
//! before publishing: what the draft's changes left unfiled or dangling.
//! The parser's own cross-check (index rows against the report columns)
//! runs on every parse; this one looks at what editors changed.

use fihris_model::{Corpus, Severity};
use serde::Serialize;

/// One thing the cross-check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndexCheck {
    /// How serious: an error blocks nothing by itself, but says the
    /// index would point nowhere.
    pub severity: Severity,
    /// The provision or topic concerned.
    pub target: String,
    /// In English.
    pub message: String,
    /// In Arabic.
    pub message_ar: String,
}

/// What the index says of `after` (a draft) that it did not of `before`
/// (the edition it continues): new paragraphs filed under no topic,
/// topics filing nothing, filings of provisions the text no longer has,
/// and filed provisions whose text changed (their topics worth a look).
pub fn index_check(before: &Corpus, after: &Corpus) -> Vec<IndexCheck> {
    let mut out = Vec::new();
    let filed = |id: &fihris_model::ProvisionId| {
        after.topics.iter().any(|t| {
            t.provisions
                .iter()
                .any(|p| p.is_within(id) || id.is_within(p))
        })
    };
    for p in &after.provisions {
        let new = before.provision(&p.id).is_none();
        if new && p.id.path.len() == 1 && !filed(&p.id) {
            out.push(IndexCheck {
                severity: Severity::Warning,
                target: p.id.to_string(),
                message: format!("{} is new and filed under no topic", p.id),
                message_ar: format!("الحكم {} جديد وغير مفهرس تحت أي موضوع", p.id),
            });
        }
        if let Some(old) = before.provision(&p.id)
            && old.text != p.text
            && after.topics_of(&p.id).next().is_some()
        {
            out.push(IndexCheck {
                severity: Severity::Info,
                target: p.id.to_string(),
                message: format!("the text of {} changed: do its topics still fit?", p.id),
                message_ar: format!("تغيّر نص الحكم {}: هل ما زالت مواضيعه مناسبة؟", p.id),
            });
        }
    }
    for t in &after.topics {
        let had_some = before
            .topics
            .iter()
            .find(|b| b.id == t.id)
            .is_none_or(|b| !b.provisions.is_empty());
        if t.provisions.is_empty() && had_some {
            out.push(IndexCheck {
                severity: Severity::Warning,
                target: t.id.to_string(),
                message: format!("topic {} files no provision", t.id),
                message_ar: format!("الموضوع {} لا يضم أي حكم", t.id),
            });
        }
        for p in t.provisions.iter().filter(|p| after.provision(p).is_none()) {
            out.push(IndexCheck {
                severity: Severity::Error,
                target: t.id.to_string(),
                message: format!("topic {} files {p}, which the text no longer has", t.id),
                message_ar: format!("الموضوع {} يحيل إلى الحكم {p} الذي لم يعد في النص", t.id),
            });
        }
    }
    out
}
