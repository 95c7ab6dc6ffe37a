//! Zip packages (a Word document, the Akoma Ntoso documents together)
//! made the same way every time: deflated, every entry dated 1980-01-01,
//! in the order given, so the same files give the same bytes.

use std::io::{Cursor, Write as _};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A zip of `files` (name, bytes), in that order.
pub fn zip<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (name, bytes) in files {
        // Writing into memory cannot fail.
        zip.start_file(name, options).expect("zip entry in memory");
        zip.write_all(bytes).expect("zip write in memory");
    }
    zip.finish().expect("zip in memory").into_inner()
}
