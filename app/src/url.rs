//! Addresses, written the same on the server and in the browser.

/// A query parameter's value, percent-encoded (RFC 3986 unreserved characters kept): the same
/// on the server and in the browser, so a rendered link hydrates unchanged.
pub fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
