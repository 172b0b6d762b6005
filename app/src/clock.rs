//! "Today" for the rules that need it, in China's calendar, on either side: the clock is the
//! browser's or the server's, the rule that turns it into a day is `domain::date`.

use crate::domain::date::Date;
pub use crate::domain::date::china_time;

/// Seconds since the Unix epoch, from the browser's clock or the server's.
fn now_unix_seconds() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        (js_sys::Date::now() / 1000.0).floor() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    }
}

/// Today's date in China (UTC+8), the day birth dates and limits are judged by.
pub fn today_in_china() -> Date {
    Date::in_china_at(now_unix_seconds())
}

/// The day in China of a server time: the same rule, for the server's clock.
#[cfg(feature = "ssr")]
pub fn china_date(at: chrono::DateTime<chrono::Utc>) -> Date {
    Date::in_china_at(at.timestamp())
}
