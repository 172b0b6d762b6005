//! Public tracking (办理进度查询, docs/rules.md, rule 10): the second factor that opens a case to
//! someone who knows its number, and the masking of personal numbers on what is shown.

/// The alphabet of a tracking code: Crockford's base32, without I, L, O and U, so a code
/// read off paper is not mistaken.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters of a tracking code (40 random bits).
pub const TRACKING_CODE_LEN: usize = 8;

/// A 查询码 from 40 random bits, printed on the receipt.
pub fn tracking_code(random: [u8; 5]) -> String {
    let mut bits: u64 = 0;
    for b in random {
        bits = (bits << 8) | u64::from(b);
    }
    (0..TRACKING_CODE_LEN)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// A second factor as typed: spaces and dashes dropped, letters in upper case, and the
/// letters that Crockford's base32 reads as digits (O → 0, I and L → 1) turned into them, so
/// `abcd-efgh` and `ABCDEFGH` are the same code.
pub fn normalize_factor(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// What is wrong with a tracking lookup before it is sent: the same sentences in the browser
/// (the public pages' small wasm, and the application's) and on the server, which answers a
/// form posted without JavaScript with them. `None`: the number is well formed and a second
/// factor is there; whether they match is for the server to say.
pub fn lookup_problem(number: &str, factor: &str) -> Option<&'static str> {
    let number = number.trim();
    if number.is_empty() {
        Some("请输入办件编号")
    } else if crate::application::ApplicationNumber::parse(number).is_none() {
        Some("办件编号格式不正确：以 OW 开头，见收件凭证或受理通知书")
    } else if factor.trim().is_empty() {
        Some("请输入申请时填写的手机号码，或收件凭证上的查询码")
    } else {
        None
    }
}

/// `138****5678`; anything that is not an 11-digit number is hidden entirely.
pub fn mask_mobile(mobile: &str) -> String {
    let m = mobile.trim();
    if m.len() == 11 && m.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}****{}", &m[..3], &m[7..])
    } else {
        "****".into()
    }
}

/// `110105********002X` (region and the last four kept); other input hidden entirely.
pub fn mask_id_number(id: &str) -> String {
    let id = id.trim();
    if id.len() == 18 && id.is_ascii() {
        format!("{}********{}", &id[..6], &id[14..])
    } else {
        "****".into()
    }
}

/// A person's name with all but its first character (and, for three or more, its last)
/// hidden: 张*, 张*丰, 欧**峰. A company's name (five characters or more) is public
/// registration data and is shown as it is.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n @ 3..=4 => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
        _ => chars.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_needs_a_well_formed_number_and_a_factor() {
        assert_eq!(lookup_problem(" ", "x"), Some("请输入办件编号"));
        assert!(lookup_problem("AB123", "x").is_some_and(|m| m.contains("格式不正确")));
        let number = "OW20261122K7Q2M9X4TD";
        assert!(lookup_problem(number, "  ").is_some_and(|m| m.contains("手机号码")));
        assert_eq!(lookup_problem(&number.to_lowercase(), "13800000000"), None);
    }

    #[test]
    fn tracking_codes_are_eight_unambiguous_characters() {
        assert_eq!(tracking_code([0; 5]), "00000000");
        assert_eq!(tracking_code([0xff; 5]), "ZZZZZZZZ");
        let c = tracking_code([0x12, 0x34, 0x56, 0x78, 0x9a]);
        assert_eq!(c.len(), TRACKING_CODE_LEN);
        assert!(c.chars().all(|ch| !"ILOU".contains(ch)));
        assert_eq!(normalize_factor(&c.to_lowercase()), c);
    }

    #[test]
    fn factors_are_compared_as_typed_on_paper() {
        assert_eq!(normalize_factor(" 7k2m-9x4t "), "7K2M9X4T");
        assert_eq!(normalize_factor("o1lI"), "0111");
        assert_eq!(normalize_factor("138 1234 5678"), "13812345678");
    }

    #[test]
    fn personal_numbers_are_masked() {
        assert_eq!(mask_mobile("13812345678"), "138****5678");
        assert_eq!(mask_mobile("12345"), "****");
        assert_eq!(mask_id_number("11010519491231002X"), "110105********002X");
        assert_eq!(mask_id_number("110105"), "****");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张三丰"), "张*丰");
        assert_eq!(mask_name("欧阳小峰"), "欧**峰");
        assert_eq!(mask_name("杭州示例建设有限公司"), "杭州示例建设有限公司");
        assert_eq!(mask_name(""), "");
    }
}
