//! Cross-references found inside provision texts: citations of other
//! provisions and sections of the compendium, and typed references to
//! instruments and documents outside it.

use serde::Serialize;

use crate::id::{ProvisionId, SectionId};

/// What kind of outside instrument or document a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ExternalKind {
    /// A General Assembly resolution («قرار الجمعية العامة 293/64» = 64/293).
    GaResolution,
    /// A resolution of the Commission on Crime Prevention and Criminal
    /// Justice.
    CcpcjResolution,
    /// A COP decision or resolution that the compendium does not carry.
    CopInstrument,
    /// An article of a Protocol to the Convention.
    ProtocolArticle,
    /// An article of the Convention or another convention.
    ConventionArticle,
    /// An article of another instrument named in the text (a code of
    /// conduct, say).
    OtherArticle,
    /// Another UN document, cited by symbol.
    Document,
}

/// Where a cross-reference points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum XrefTarget {
    /// A provision of the compendium.
    Provision {
        /// Its id.
        id: ProvisionId,
    },
    /// A section of the compendium (a meeting's recommendations, a COP
    /// instrument).
    Section {
        /// Its id.
        id: SectionId,
    },
    /// Something outside the compendium.
    External {
        /// What it is.
        kind: ExternalKind,
        /// Its canonical English reference, e.g. "General Assembly
        /// resolution 64/293", "Protocol, article 6 (6)".
        reference: String,
    },
}

/// A citation found in a provision's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrossRef {
    /// The provision whose text cites.
    pub from: ProvisionId,
    /// The citation as printed.
    pub text: String,
    /// Byte offset of `text` in the provision's text.
    pub start: usize,
    /// Where it points.
    pub target: XrefTarget,
}
