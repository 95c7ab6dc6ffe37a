//! A tantivy collector of every match with its score and document ordinal
//! (facets and date order need the whole result set, not a top-k).

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// Collects (ordinal, score, address) of every match.
pub(crate) struct AllMatches {
    /// The fast field holding each document's ordinal.
    pub field: &'static str,
}

pub(crate) struct AllMatchesSegment {
    segment: SegmentOrdinal,
    ords: tantivy::columnar::Column<u64>,
    out: Vec<(u64, Score, DocAddress)>,
}

impl Collector for AllMatches {
    type Fruit = Vec<(u64, Score, DocAddress)>;
    type Child = AllMatchesSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<AllMatchesSegment> {
        Ok(AllMatchesSegment {
            segment,
            ords: reader.fast_fields().u64(self.field)?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(u64, Score, DocAddress)>>,
    ) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AllMatchesSegment {
    type Fruit = Vec<(u64, Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(ord) = self.ords.first(doc) {
            self.out
                .push((ord, score, DocAddress::new(self.segment, doc)));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.out
    }
}
