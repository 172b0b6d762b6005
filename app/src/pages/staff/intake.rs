//! `/staff/intake`: 窗口收件.

use super::*;
use crate::components::status::Alert;

/// `/staff/intake`: choose an item of the department, then fill in the same form as online.
#[component]
pub fn IntakePage() -> impl IntoView {
    // The department's items, loaded on the server and handed to the browser with the page.
    let items = resource(
        || (),
        |_| async {
            let Some(me) = current_staff().await? else {
                return Ok(None);
            };
            list_items(ItemFilter {
                department: Some(me.department),
                ..Default::default()
            })
            .await
            .map(Some)
        },
    );
    let navigate = use_navigate();
    let failure = RwSignal::new(None::<String>);
    view! {
        <Title text="窗口收件"/>
        <StaffBar/>
        <h1>"窗口收件"</h1>
        <p class="muted">"为到窗口办事的申请人填写同一张表单、上传扫描件；与网上申报同一标准校验。"</p>
        <Alert message=failure/>
        <Suspense fallback=Loading>
            {move || {
                let navigate = navigate.clone();
                Suspend::new(async move {
                let Ok(Some(items)) = items.await else {
                    return view! { <p><a class="button" href="/staff/login">"工作人员登录"</a></p> }.into_any();
                };
                let rows = items.into_iter().map(|i| {
                    let code = i.code.clone();
                    let navigate = navigate.clone();
                    let start = move |_| {
                        let code = code.clone();
                        let navigate = navigate.clone();
                        spawn_local(async move {
                            match start_intake(Some(code), None).await {
                                Ok(n) => navigate(&format!("/applications/{n}"), Default::default()),
                                Err(e) => failure.set(Some(e.into_message())),
                            }
                        });
                    };
                    view! {
                        <li class="intake-item" data-item=i.code.clone()>
                            <span><strong>{i.name.clone()}</strong> " " <span class="muted code">{i.code.clone()}</span></span>
                            <button type="button" class="button" on:click=start>"开始收件"</button>
                        </li>
                    }
                }).collect_view();
                view! { <ul class="intake-items">{rows}</ul> }.into_any()
            })}}
        </Suspense>
    }
}
