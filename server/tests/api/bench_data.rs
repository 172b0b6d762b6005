//! Benchmark data (`seed-bench`): what it writes reads back through the product like cases
//! that went through it: tracked by number and factor, listed in the queue, on the board and
//! in 我的办件, opened on the workbench; and it refuses a database that holds applications.

use app::server::entities::application;
use app::server::services::bench_data::{self, PASSWORD, Plan};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::helpers::{count_of, get_as, on_every_backend, sign_in, staff_sign_in};
use crate::tracking::track;

#[tokio::test]
async fn seeded_cases_read_back_through_tracking_the_queue_the_board_and_my_cases() {
    on_every_backend(async |app| {
        let plan = Plan {
            cases: 400,
            open: 150,
            per_applicant: 10,
        };
        let seeded = bench_data::seed(&app.db, plan, Utc::now(), |_| {})
            .await
            .unwrap();
        assert_eq!(
            application::Entity::find().count(&app.db).await.unwrap(),
            400
        );
        let open: u32 = ["submitted", "accepted", "in_review", "suspended", "decided"]
            .iter()
            .filter_map(|s| seeded.statuses.get(*s))
            .sum();
        assert_eq!(open, 150, "{:?}", seeded.statuses);
        // Every status of the plan is there, and a few of each can be tracked.
        for status in [
            "completed",
            "rejected",
            "withdrawn",
            "submitted",
            "in_review",
        ] {
            assert!(
                seeded.track.iter().any(|t| t.2 == status),
                "{status}: {:?}",
                seeded.track
            );
        }
        for (number, factor, status) in &seeded.track {
            let (code, view, text) = track(app, number, factor).await;
            assert_eq!(code, 200, "{number}: {text}");
            assert_eq!(view["status"], json!(status), "{number}");
        }

        // The department's window sees its cases counted and listed; the chief its board.
        let window = staff_sign_in(app, "bench-zjj-window", PASSWORD).await;
        let (code, q) = get_as(app, &window, "/api/v1/review/queue?status=all").await;
        assert_eq!(code, 200, "{q}");
        let counted: u64 = q["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_u64().unwrap())
            .sum();
        let own = application::Entity::find()
            .filter(application::Column::Department.eq("ZJJ"))
            .count(&app.db)
            .await
            .unwrap();
        assert!(own > 0);
        assert!(counted >= own, "counted {counted} of {own}");
        let first = q["entries"][0]["case_number"].as_str().unwrap().to_string();
        let (code, case) = get_as(app, &window, &format!("/api/v1/review/cases/{first}")).await;
        assert_eq!(code, 200, "{case}");

        let chief = staff_sign_in(app, "bench-zjj-chief", PASSWORD).await;
        let (code, board) = get_as(app, &chief, "/api/v1/supervision/board").await;
        assert_eq!(code, 200, "{board}");
        assert!(!board["cases"].as_array().unwrap().is_empty(), "{board}");
        assert!(board["calendar_problem"].is_null(), "{board}");

        // The first applicant's ten cases are theirs.
        let me = sign_in(
            app,
            "/api/v1/auth/login",
            json!({"mobile": seeded.applicant, "password": PASSWORD}),
        )
        .await;
        let (code, mine) = get_as(app, &me, "/api/v1/applications").await;
        assert_eq!(code, 200, "{mine}");
        assert_eq!(mine.as_array().map(Vec::len), Some(10), "{mine}");

        // A database with applications is never seeded.
        let again = bench_data::seed(&app.db, plan, Utc::now(), |_| {}).await;
        let message = again.unwrap_err().to_string();
        assert!(message.contains("只填充空的基准测试数据库"), "{message}");
    })
    .await;
}

#[tokio::test]
async fn a_long_history_is_counted_up_to_a_bound_and_listed_newest_first() {
    on_every_backend(async |app| {
        let plan = Plan {
            cases: 3000,
            open: 100,
            per_applicant: 10,
        };
        bench_data::seed(&app.db, plan, Utc::now(), |_| {})
            .await
            .unwrap();
        let of_zjj =
            || application::Entity::find().filter(application::Column::Department.eq("ZJJ"));
        let completed = of_zjj()
            .filter(application::Column::Status.eq("completed"))
            .count(&app.db)
            .await
            .unwrap();
        assert!(completed > 1000, "{completed}");
        let submitted = of_zjj()
            .filter(application::Column::Status.eq("submitted"))
            .count(&app.db)
            .await
            .unwrap();
        let window = staff_sign_in(app, "bench-zjj-window", PASSWORD).await;
        let (code, q) = get_as(
            app,
            &window,
            "/api/v1/review/queue?status=all&sort=-received",
        )
        .await;
        assert_eq!(code, 200, "{q}");
        assert_eq!(
            count_of(&q, "completed"),
            json!({"status": "completed", "count": 1000, "more": true})
        );
        assert_eq!(count_of(&q, "submitted")["count"], json!(submitted));
        assert_eq!(count_of(&q, "submitted")["more"], json!(false));
        // The department's finished tasks likewise; its open ones exactly.
        let (code, tasks) = get_as(app, &window, "/api/v1/review/tasks").await;
        assert_eq!(code, 200, "{tasks}");
        assert_eq!(
            count_of(&tasks, "done"),
            json!({"status": "done", "count": 1000, "more": true})
        );
        assert_eq!(count_of(&tasks, "open")["more"], json!(false));
        // Newest first: the latest case received, not the last of the oldest few hundred.
        let newest = of_zjj()
            .order_by_desc(application::Column::ReceivedAt)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            q["entries"][0]["case_number"],
            json!(newest.case_number.unwrap())
        );
    })
    .await;
}
