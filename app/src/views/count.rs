//! How a list prints a count of its rows at a status.

/// "已办结 12 件", or "已办结 1000 件以上" when there are more (a count that stops at a bound).
pub fn count_text(label: &str, count: u32, more: bool) -> String {
    let more = if more { "以上" } else { "" };
    format!("{label} {count} 件{more}")
}
