//! XML escaping shared by the writers that write XML by hand.

/// Text escaped for XML content.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text escaped for an XML attribute.
pub(crate) fn attr(s: &str) -> String {
    text(s).replace('"', "&quot;")
}
