//! Prints the document vector of the text on standard input as JSON.

use std::io::Read;

use fihris_embed::{Embedder, Gemma, fetch};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = fetch::model_dir(&fetch::cache_dir());
    let model = Gemma::load(&dir, &fetch::fingerprint(&dir)?)?;
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let v = model.embed_documents(&[text.as_str()])?;
    println!("{:?}", v[0]);
    Ok(())
}
