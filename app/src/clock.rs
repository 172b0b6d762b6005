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

/// An RFC 3339 UTC time (as the server writes them) as China's wall-clock time,
/// `2026年11月22日 14:05`; the input unchanged if it is not one.
pub fn china_time(rfc3339: &str) -> String {
    let parse = || -> Option<String> {
        let date = Date::parse_iso(rfc3339.get(..10)?)?;
        let hour: i64 = rfc3339.get(11..13)?.parse().ok()?;
        let minute: u8 = rfc3339.get(14..16)?.parse().ok()?;
        if !(rfc3339.ends_with("+00:00") || rfc3339.ends_with('Z')) {
            return None;
        }
        let (date, hour) = if hour + 8 >= 24 {
            (date.add_days(1), hour + 8 - 24)
        } else {
            (date, hour + 8)
        };
        Some(format!(
            "{}年{}月{}日 {hour:02}:{minute:02}",
            date.year(),
            date.month(),
            date.day()
        ))
    };
    parse().unwrap_or_else(|| rfc3339.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_times_are_shown_in_china_time() {
        assert_eq!(
            china_time("2026-11-22T06:05:09.123+00:00"),
            "2026年11月22日 14:05"
        );
        assert_eq!(
            china_time("2026-12-31T16:30:00+00:00"),
            "2027年1月1日 00:30"
        );
        assert_eq!(china_time("yesterday"), "yesterday");
    }
}
