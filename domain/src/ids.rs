//! Identity numbers, parsed once at the boundary: 统一社会信用代码, 居民身份证号码, mobile numbers.
//! The browser (wasm) and the server run this same code, so both give the same verdict.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::date::Date;

/// Why an identity number was refused. Serialised as a stable code.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IdError {
    /// Wrong length or a character outside the allowed set.
    CreditCodeFormat,
    /// The last character does not match the GB 32100 check.
    CreditCodeChecksum,
    /// Not 17 digits followed by a digit or X.
    IdCardFormat,
    /// The check digit does not match GB 11643.
    IdCardChecksum,
    /// The birth date inside is not a real date in the past.
    IdCardBirthDate,
    /// Not 11 digits starting 13–19.
    MobileFormat,
}

impl IdError {
    /// The stable code, as sent to browsers and API clients.
    pub fn code(self) -> &'static str {
        match self {
            IdError::CreditCodeFormat => "credit_code_format",
            IdError::CreditCodeChecksum => "credit_code_checksum",
            IdError::IdCardFormat => "id_card_format",
            IdError::IdCardChecksum => "id_card_checksum",
            IdError::IdCardBirthDate => "id_card_birth_date",
            IdError::MobileFormat => "mobile_format",
        }
    }

    /// What to tell the person, in Chinese.
    pub fn message(self) -> &'static str {
        match self {
            IdError::CreditCodeFormat => {
                "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）"
            }
            IdError::CreditCodeChecksum => "统一社会信用代码校验位不正确，请核对后重新输入",
            IdError::IdCardFormat => "居民身份证号码应为 18 位，前 17 位为数字，最后一位为数字或 X",
            IdError::IdCardChecksum => "居民身份证号码校验位不正确，请核对后重新输入",
            IdError::IdCardBirthDate => "居民身份证号码中的出生日期不是有效日期",
            IdError::MobileFormat => "手机号码应为 11 位，以 13–19 开头",
        }
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for IdError {}

/// GB 32100-2015: the 31 characters a unified credit code may use, in value order.
const CREDIT_CODE_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100-2015: weight of position i (1-based) is 3^(i-1) mod 31.
const CREDIT_CODE_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
#[serde(try_from = "String", into = "String")]
pub struct UnifiedCreditCode(String);

impl UnifiedCreditCode {
    /// Parses a code; surrounding spaces are ignored and lower case is read as upper case.
    ///
    /// GB 32100-2015 §4: check = 31 − (Σ value(cᵢ)·3^(i−1) mod 31) over the first 17
    /// characters, where 31 stands for 0.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let code = input.trim().to_ascii_uppercase();
        let bytes = code.as_bytes();
        if bytes.len() != 18 {
            return Err(IdError::CreditCodeFormat);
        }
        let mut values = [0u32; 18];
        for (value, b) in values.iter_mut().zip(bytes) {
            *value = CREDIT_CODE_CHARSET
                .iter()
                .position(|c| c == b)
                .ok_or(IdError::CreditCodeFormat)? as u32;
        }
        let sum: u32 = values[..17]
            .iter()
            .zip(CREDIT_CODE_WEIGHTS)
            .map(|(v, w)| v * w)
            .sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            return Err(IdError::CreditCodeChecksum);
        }
        Ok(UnifiedCreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// GB 11643-1999: weights of the first 17 digits.
const ID_CARD_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// GB 11643-1999: the check character for Σ mod 11.
const ID_CARD_CHECK: &[u8; 11] = b"10X98765432";

/// 居民身份证号码 (GB 11643-1999): 17 digits and a check character.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdCardNumber(String);

impl IdCardNumber {
    /// Parses a number; the birth date inside must be a real date no later than `today`.
    ///
    /// GB 11643-1999 §5: check = "10X98765432"[Σ digitᵢ·wᵢ mod 11].
    pub fn parse(input: &str, today: Date) -> Result<Self, IdError> {
        let number = input.trim().to_ascii_uppercase();
        let bytes = number.as_bytes();
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(IdError::IdCardFormat);
        }
        let sum: u32 = bytes[..17]
            .iter()
            .zip(ID_CARD_WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        if ID_CARD_CHECK[(sum % 11) as usize] != bytes[17] {
            return Err(IdError::IdCardChecksum);
        }
        let birth = Date::parse_compact(&number[6..14]).ok_or(IdError::IdCardBirthDate)?;
        if birth > today || birth.year() < 1900 {
            return Err(IdError::IdCardBirthDate);
        }
        Ok(IdCardNumber(number))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but the first and last four characters hidden, for display.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.0[..4], &self.0[14..])
    }
}

/// A mainland mobile number: 11 digits, `1[3-9]` then 9 digits.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber(String);

impl MobileNumber {
    /// Parses a number; spaces and dashes people type between groups are ignored.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let b = digits.as_bytes();
        if b.len() == 11
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1])
            && b.iter().all(u8::is_ascii_digit)
        {
            Ok(MobileNumber(digits))
        } else {
            Err(IdError::MobileFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`, for display to anyone but the owner.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

macro_rules! string_conversions {
    ($($t:ident),+) => {$(
        impl TryFrom<String> for $t {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                $t::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
    )+};
}
string_conversions!(UnifiedCreditCode, MobileNumber);

impl fmt::Display for UnifiedCreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 21).unwrap()
    }

    #[test]
    fn real_unified_credit_codes_pass_their_check() {
        for code in [
            "91330100799655058B",
            "9144030071526726XG",
            "91110000100006485K",
        ] {
            assert_eq!(
                UnifiedCreditCode::parse(code).map(|c| c.0),
                Ok(code.to_string())
            );
        }
    }

    #[test]
    fn a_credit_code_is_read_in_upper_case_without_surrounding_spaces() {
        assert_eq!(
            UnifiedCreditCode::parse(" 91330100799655058b ")
                .unwrap()
                .as_str(),
            "91330100799655058B"
        );
    }

    #[test]
    fn a_changed_character_breaks_the_credit_code_check() {
        assert_eq!(
            UnifiedCreditCode::parse("91330100799655058C"),
            Err(IdError::CreditCodeChecksum)
        );
        assert_eq!(
            UnifiedCreditCode::parse("91330100799655059B"),
            Err(IdError::CreditCodeChecksum)
        );
    }

    #[test]
    fn credit_codes_of_the_wrong_shape_are_format_errors() {
        for bad in [
            "",
            "9133010079965505",
            "91330100799655058BB",
            "9133010079965505IB",
            "91330100799655058Z",
            "９１３３０１００７９９６５５０５８Ｂ",
        ] {
            assert_eq!(
                UnifiedCreditCode::parse(bad),
                Err(IdError::CreditCodeFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_credit_code_whose_check_is_zero_uses_the_character_zero() {
        // Σ ≡ 0 (mod 31) gives 31 − 0 = 31, which stands for 0.
        let body = "00000000000000000";
        assert_eq!(
            UnifiedCreditCode::parse(&format!("{body}0"))
                .unwrap()
                .as_str(),
            "000000000000000000"
        );
    }

    #[test]
    fn the_id_card_example_of_the_standard_passes() {
        let id = IdCardNumber::parse("11010519491231002X", today()).unwrap();
        assert_eq!(id.masked(), "1101**********002X");
        assert!(IdCardNumber::parse("11010519491231002x", today()).is_ok());
    }

    #[test]
    fn id_card_numbers_are_checked_digit_date_and_shape() {
        assert_eq!(
            IdCardNumber::parse("110105194912310021", today()),
            Err(IdError::IdCardChecksum)
        );
        assert_eq!(
            IdCardNumber::parse("11010519491231002", today()),
            Err(IdError::IdCardFormat)
        );
        assert_eq!(
            IdCardNumber::parse("1101051949123100AX", today()),
            Err(IdError::IdCardFormat)
        );
        // 1949-02-30 does not exist; the check digit is right for it.
        assert_eq!(
            IdCardNumber::parse("110105194902300020", today()),
            Err(IdError::IdCardBirthDate)
        );
    }

    #[test]
    fn an_id_card_born_in_the_future_is_refused() {
        // Valid check digit, born 2027-01-01.
        assert_eq!(
            IdCardNumber::parse("110105202701010016", today()),
            Err(IdError::IdCardBirthDate)
        );
    }

    #[test]
    fn mobile_numbers_are_eleven_digits_starting_13_to_19() {
        assert_eq!(
            MobileNumber::parse("138 1234 5678").unwrap().masked(),
            "138****5678"
        );
        assert!(MobileNumber::parse("19912345678").is_ok());
        for bad in [
            "12812345678",
            "1381234567",
            "138123456789",
            "1381234567a",
            "+8613812345678",
            "",
        ] {
            assert_eq!(
                MobileNumber::parse(bad),
                Err(IdError::MobileFormat),
                "{bad}"
            );
        }
    }
}
