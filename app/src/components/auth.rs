//! Who is logged in, shared by the header and the pages.

use leptos::prelude::*;

use crate::api::accounts::current_account;
use crate::domain::account::AccountInfo;

/// The logged-in account, reloaded whenever [`Auth::changed`] is called.
#[derive(Clone, Copy)]
pub struct Auth {
    pub account: Resource<Result<Option<AccountInfo>, ServerFnError>>,
    version: RwSignal<u32>,
}

impl Auth {
    /// Creates the context; call once, in the app.
    pub fn provide() -> Self {
        let version = RwSignal::new(0);
        let auth = Auth {
            account: Resource::new(move || version.get(), |_| current_account()),
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
