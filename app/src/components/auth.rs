//! Who is logged in, shared by the header and the pages.

use leptos::prelude::*;

use crate::resource::{Json, resource};

use crate::api::accounts::current_account;
use crate::domain::account::AccountInfo;
use crate::error::AppError;

/// The logged-in account, reloaded whenever [`Auth::changed`] is called.
#[derive(Clone, Copy)]
pub struct Auth {
    pub account: Resource<Result<Option<AccountInfo>, AppError>, Json>,
    version: RwSignal<u32>,
}

impl Auth {
    /// Creates the context; call once, in the app.
    pub fn provide() -> Self {
        let version = RwSignal::new(0);
        let auth = Auth {
            account: resource(move || version.get(), |_| current_account()),
            version,
        };
        provide_context(auth);
        auth
    }

    /// Reloads the account after a login or logout.
    pub fn changed(&self) {
        self.version.update(|v| *v += 1);
    }
}

/// Where to go after logging in: a path on this site from `?next=`, else the home page.
///
/// Anything that could lead elsewhere goes home: `//host`, `/\\host`, `https:`, and any path
/// with a backslash, a space or a control character anywhere. A browser's URL parser drops
/// tabs and newlines wherever they are and reads `\\` as `/`, so `/%09/evil.example` (a tab)
/// would otherwise become `//evil.example`, another site. The paths this site links to never
/// contain such characters.
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n
                    .chars()
                    .any(|c| c == '\\' || c.is_whitespace() || c.is_control()) =>
        {
            n
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(
            safe_next(Some("/items/ZJJ-XK-001".into())),
            "/items/ZJJ-XK-001"
        );
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "",
            // What the browser would turn into `//evil.example`.
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\t//evil.example",
            " //evil.example",
            "/\u{0}/evil.example",
            "/x\\..\\\\evil.example",
        ] {
            assert_eq!(safe_next(Some(bad.into())), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
        assert_eq!(
            safe_next(Some("/apply/ZJJ-XK-001?step=2".into())),
            "/apply/ZJJ-XK-001?step=2"
        );
    }
}
