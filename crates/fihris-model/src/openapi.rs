//! OpenAPI schemas (utoipa) of the types whose JSON form is written by hand:
//! ids, dates and anchors as strings, provisions and instruments with their
//! derived fields. The other types derive theirs. Behind the `openapi`
//! feature, for the HTTP API's document.

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{ArrayBuilder, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::id::{Parent, ProvisionId, ProvisionKind, SectionId};
use crate::record::{Anchor, Instrument, InstrumentKind, IsoDate, LineSpan, Provision};

fn string(description: &str, example: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .examples([example])
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
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "A decision or resolution of the Conference of the Parties",
            ))
            .property("kind", InstrumentKind::schema())
            .property("session", integer("Session number"))
            .property("number", integer("Number within the session"))
            .property(
                "canonical",
                string("The English short form", "decision 4/4"),
            )
            .property(
                "arabic",
                string("The Arabic short form (number/session)", "المقرر 4/4"),
            )
            .required("kind")
            .required("session")
            .required("number")
            .required("canonical")
            .required("arabic")
            .into()
    }
}
impl ToSchema for Instrument {}

impl PartialSchema for Provision {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "A paragraph, sub-paragraph, item or preambular paragraph",
            ))
            .property("id", ProvisionId::schema())
            .property("section", SectionId::schema())
            .property("parent", Parent::schema())
            .property("kind", ProvisionKind::schema())
            .property("label", string("The label as printed", "(ب)"))
            .property(
                "text",
                string(
                    "The text as printed, without its label; footnote markers stay",
                    "ينبغي للدول الأطراف …",
                ),
            )
            .property(
                "footnotes",
                ArrayBuilder::new().items(integer("Footnote number")),
            )
            .property("lines", LineSpan::schema())
            .required("id")
            .required("section")
            .required("parent")
            .required("kind")
            .required("label")
            .required("text")
            .required("footnotes")
            .required("lines")
            .into()
    }
}
impl ToSchema for Provision {}
