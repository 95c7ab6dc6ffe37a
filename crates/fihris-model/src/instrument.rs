//! Decisions and resolutions of the Conference of the Parties, numbered
//! session/number and printed session-last in the Arabic text.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// Decision or resolution of the Conference of the Parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum InstrumentKind {
    /// المقرر — decision.
    Decision,
    /// القرار — resolution.
    Resolution,
}

impl InstrumentKind {
    /// English name: "decision" / "resolution".
    pub fn en(self) -> &'static str {
        match self {
            InstrumentKind::Decision => "decision",
            InstrumentKind::Resolution => "resolution",
        }
    }

    /// Arabic name with article: «المقرر» / «القرار».
    pub fn ar(self) -> &'static str {
        match self {
            InstrumentKind::Decision => "المقرر",
            InstrumentKind::Resolution => "القرار",
        }
    }
}

/// A COP decision or resolution, numbered session/number: decision 1/5 is
/// the 5th decision of the 1st session (printed «المقرر 5/1» in Arabic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instrument {
    /// Decision or resolution.
    pub kind: InstrumentKind,
    /// Session that adopted it.
    pub session: u32,
    /// Its number within the session.
    pub number: u32,
}

impl Instrument {
    /// Canonical English form: "decision 1/5", "resolution 5/2".
    pub fn canonical(&self) -> String {
        format!("{} {}/{}", self.kind.en(), self.session, self.number)
    }

    /// Arabic form as printed (session last): «المقرر 5/1».
    pub fn arabic(&self) -> String {
        format!("{} {}/{}", self.kind.ar(), self.number, self.session)
    }
}

impl Serialize for Instrument {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Instrument", 5)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("session", &self.session)?;
        st.serialize_field("number", &self.number)?;
        st.serialize_field("canonical", &self.canonical())?;
        st.serialize_field("arabic", &self.arabic())?;
        st.end()
    }
}
