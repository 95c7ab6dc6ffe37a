//! OpenAPI schemas (utoipa) of the types whose JSON form is written by hand:
//! ids, dates and anchors as strings, provisions and instruments with their
//! derived fields. The other types derive theirs. Behind the `openapi`
//! feature, for the HTTP API's document.

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{ArrayBuilder, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::id::{Parent, ProvisionId, ProvisionKind, SectionId};
use crate::index::TopicId;
use crate::instrument::{Instrument, InstrumentKind};
use crate::record::{Anchor, IsoDate, LineSpan, Provision};

fn string(description: &str, example: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .examples([example])
}

/// An object whose fields are all required, in this order.
fn object<const N: usize>(description: &str, fields: [(&str, RefOr<Schema>); N]) -> RefOr<Schema> {
    fields
        .into_iter()
        .fold(
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some(description)),
            |b, (name, schema)| b.property(name, schema).required(name),
        )
        .into()
}

fn integer(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(0))
        .description(Some(description))
}

impl PartialSchema for SectionId {
    fn schema() -> RefOr<Schema> {
        string(
            "Section id: `A.1`–`A.9` (meetings of the Working Group), `B.1`–`B.5` (sessions of the Conference)",
            "A.2",
        )
        .into()
    }
}
impl ToSchema for SectionId {}

impl PartialSchema for ProvisionId {
    fn schema() -> RefOr<Schema> {
        string(
            "Provision id: section, paragraph, then sub-paragraph letter and item, or `pp` and a preambular number",
            "A.4.46.b",
        )
        .into()
    }
}
impl ToSchema for ProvisionId {}

impl PartialSchema for TopicId {
    fn schema() -> RefOr<Schema> {
        string(
            "Topic id: English words joined by `-`, heading and sub-topic joined by `.`; `unlabelled-<line>` for a topic whose label the source lost",
            "victims.compensation",
        )
        .pattern(Some("^[a-z0-9][a-z0-9.-]{0,79}$"))
        .into()
    }
}
impl ToSchema for TopicId {}

impl PartialSchema for Parent {
    fn schema() -> RefOr<Schema> {
        string("Id of the enclosing provision, or of the section", "A.4.46").into()
    }
}
impl ToSchema for Parent {}

impl PartialSchema for Anchor {
    fn schema() -> RefOr<Schema> {
        string(
            "Id of the provision or section where a footnote's marker stands",
            "B.1",
        )
        .into()
    }
}
impl ToSchema for Anchor {}

impl PartialSchema for IsoDate {
    fn schema() -> RefOr<Schema> {
        string("A date, ISO 8601", "2010-01-27")
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .into()
    }
}
impl ToSchema for IsoDate {}

impl PartialSchema for Instrument {
    fn schema() -> RefOr<Schema> {
        object(
            "A decision or resolution of the Conference of the Parties",
            [
                ("kind", InstrumentKind::schema()),
                ("session", integer("Session number").into()),
                ("number", integer("Number within the session").into()),
                (
                    "canonical",
                    string("The English short form", "decision 4/4").into(),
                ),
                (
                    "arabic",
                    string("The Arabic short form (number/session)", "المقرر 4/4").into(),
                ),
            ],
        )
    }
}
impl ToSchema for Instrument {}

impl PartialSchema for Provision {
    fn schema() -> RefOr<Schema> {
        object(
            "A paragraph, sub-paragraph, item or preambular paragraph",
            [
                ("id", ProvisionId::schema()),
                ("section", SectionId::schema()),
                ("parent", Parent::schema()),
                ("kind", ProvisionKind::schema()),
                ("label", string("The label as printed", "(ب)").into()),
                (
                    "text",
                    string(
                        "The text as printed, without its label; footnote markers stay",
                        "ينبغي للدول الأطراف …",
                    )
                    .into(),
                ),
                (
                    "footnotes",
                    ArrayBuilder::new().items(integer("Footnote number")).into(),
                ),
                ("lines", LineSpan::schema()),
            ],
        )
    }
}
impl ToSchema for Provision {}
