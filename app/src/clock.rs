//! "Today" for the rules that need it, in China's calendar (UTC+8), on either side.

use crate::domain::date::Date;

/// Milliseconds since the Unix epoch, from the browser's clock or the server's.
fn now_millis() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as f64)
            .unwrap_or_default()
    }
}

/// Today's date in China (UTC+8), the day birth dates and limits are judged by.
pub fn today_in_china() -> Date {
    const CHINA_OFFSET_SECONDS: f64 = 8.0 * 3600.0;
    let days = ((now_millis() / 1000.0 + CHINA_OFFSET_SECONDS) / 86_400.0).floor() as i64;
    Date::from_days_since_epoch(days)
}
