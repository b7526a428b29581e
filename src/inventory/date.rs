//! Calendar dates (`YYYY-MM-DD`) for policy rule expiry, without a date
//! library: the only operations needed are parsing, comparing and "today".

use std::fmt;

/// A proleptic Gregorian calendar date. Ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// `YYYY-MM-DD`, a real calendar day (2025-02-29 is refused).
    pub fn parse(text: &str) -> Result<Date, String> {
        let shape = "write the date as YYYY-MM-DD, e.g. 2025-06-30";
        let parts: Vec<&str> = text.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(format!("`{text}` is not a date: {shape}"));
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(format!("`{text}` is not a date: {shape}"));
        }
        let number = |s: &str| -> Result<u16, String> {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse()
                    .map_err(|_| format!("`{text}` is not a date: {shape}"))
            } else {
                Err(format!("`{text}` is not a date: {shape}"))
            }
        };
        let (year, month, day) = (number(y)?, number(m)?, number(d)?);
        if !(1..=12).contains(&month) {
            return Err(format!("`{text}`: there is no month {month}"));
        }
        let last = days_in_month(year, month as u8);
        if day == 0 || day > u16::from(last) {
            return Err(format!("`{text}`: month {month} of {year} has {last} days"));
        }
        Ok(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((seconds / 86_400) as i64)
    }

    /// Days since 1970-01-01 to a date (Howard Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: year.clamp(0, 9999) as u16,
            month: month as u8,
            day: day as u8,
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_days_only() {
        assert_eq!(
            Date::parse("2024-02-29").unwrap(),
            Date {
                year: 2024,
                month: 2,
                day: 29
            }
        );
        assert!(Date::parse("2025-02-29").unwrap_err().contains("28 days"));
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(Date::parse("2025-13-01").unwrap_err().contains("month 13"));
        assert!(Date::parse("2025-6-30").is_err());
        assert!(Date::parse("30.06.2025").is_err());
        assert!(Date::parse("2025-06-3x").is_err());
        assert!(Date::parse("+025-06-30").is_err());
    }

    #[test]
    fn days_since_epoch() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(19_723).to_string(),
            "2024-01-01"
        );
        assert_eq!(
            Date::from_days_since_epoch(19_782).to_string(),
            "2024-02-29"
        );
        assert!(Date::parse("2024-03-01").unwrap() > Date::from_days_since_epoch(19_782));
    }
}
