//! `onewindow`: the OneWindow server and its administration commands.

use anyhow::Context;
use clap::{Parser, Subcommand};

use app::server::db;
use app::server::services::catalog;
use onewindow::config::{self, Config};
use onewindow::router;

/// OneWindow 一窗通办: 政务服务网上办事大厅.
#[derive(Parser)]
#[command(name = "onewindow", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, load the demo catalog into an empty database, and serve (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Check a catalog file and import it in one transaction (all or nothing).
    ImportCatalog {
        /// The catalog file (JSON, see docs/catalog-format.md).
        file: std::path::PathBuf,
    },
    /// Write the whole catalog, each item in its current version, to a file.
    ExportCatalog {
        /// Where to write; `-` for standard output.
        file: std::path::PathBuf,
    },
    /// Enter or replace a year of the working-day calendar from a JSON file
    /// (`{"year": 2027, "source": "…", "days_off": "2027-01-01 2027-02-06~2027-02-12",
    /// "extra_working_days": "2027-02-14"}`), checked first; exit code 2 when it has problems.
    ImportCalendar {
        /// The arrangement file (JSON).
        file: std::path::PathBuf,
    },
    /// Create a staff account. The password is read from the environment variable
    /// `ONEWINDOW_STAFF_PASSWORD` (so it is not left in the shell history or process list).
    CreateStaff {
        /// 工号 (login name): letters, digits, `.`, `_`, `-`.
        #[arg(long)]
        login: String,
        /// The staff member's name.
        #[arg(long)]
        name: String,
        /// window (窗口人员), reviewer (审批人员), chief (首席代表), supervisor (分管领导), admin.
        #[arg(long)]
        role: String,
        /// The department's code, as in the catalog.
        #[arg(long)]
        department: String,
    },
    /// Verify an electronic licence file (电子证照) offline, with the same code as the server
    /// and the verify page: prints the verdict; exit code 0 only for a valid licence, 1
    /// otherwise. The public keys and the revocation list are read from files saved from
    /// `/api/v1/licences/keys` and `/api/v1/licences/revocations`, or, without `--keys`, from
    /// this server's database.
    VerifyLicence {
        /// The licence file (JSON, as downloaded).
        file: std::path::PathBuf,
        /// The published keys (JSON array, from `/api/v1/licences/keys`).
        #[arg(long)]
        keys: Option<std::path::PathBuf>,
        /// The revocation list (JSON array, from `/api/v1/licences/revocations`).
        #[arg(long)]
        revocations: Option<std::path::PathBuf>,
        /// The day to judge validity on (YYYY-MM-DD); today in China by default.
        #[arg(long)]
        on: Option<String>,
    },
    /// Rotate a department's licence signing key: a new key signs from now on; the old one
    /// stays published, so the licences it signed stay valid.
    RotateLicenceKey {
        /// The department's code, as in the catalog.
        #[arg(long)]
        department: String,
    },
    /// Fill an empty database with benchmark data: `--cases` cases across the catalog's items
    /// (loading the demo catalog into an empty one), of which `--open` are in hand and the
    /// rest ended over the last three years; prints what it made (JSON) for
    /// `BENCH_SCALE=seed.json scripts/bench`. Never on a database that holds applications.
    SeedBench {
        #[arg(long)]
        cases: u32,
        /// Cases in hand (received over the last four weeks).
        #[arg(long, default_value_t = 2000)]
        open: u32,
        /// Cases per applicant account.
        #[arg(long, default_value_t = 10)]
        per_applicant: u32,
    },
    /// Delete stored material files that no application refers to (what a crash between
    /// storing a file and recording it leaves behind). The server does this every hour with
    /// an hour's grace.
    SweepMaterials {
        /// Leave files written less than this many seconds ago (their upload may still be
        /// recording them).
        #[arg(long, default_value_t = 3600)]
        grace_seconds: i64,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    return_large_blocks_to_the_system();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Serve)).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("错误：{err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Reads a JSON file of `T`.
fn read_json<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("无法读取 {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} 不是有效的 JSON", path.display()))
}

/// `verify-licence`: the verdict on a licence file, with keys and revocations from files or
/// from the database.
async fn verify_licence(
    file: &std::path::Path,
    keys: Option<&std::path::Path>,
    revocations: Option<&std::path::Path>,
    on: Option<&str>,
) -> anyhow::Result<std::process::ExitCode> {
    use app::domain::licence::{self, PublishedKey, Revocation};
    let text =
        std::fs::read_to_string(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let today = match on {
        Some(d) => app::domain::date::Date::parse_iso(d)
            .ok_or_else(|| anyhow::anyhow!("日期“{d}”格式不正确，应为 YYYY-MM-DD"))?,
        None => app::clock::china_date(chrono::Utc::now()),
    };
    let (keys, revoked): (Vec<PublishedKey>, Vec<Revocation>) = match keys {
        Some(k) => (
            read_json(k)?,
            match revocations {
                Some(r) => read_json(r)?,
                None => vec![],
            },
        ),
        None => {
            let config = Config::from_env()?;
            let conn = db::connect_with(&config.database_url, config.database_connections).await?;
            db::migrate(&conn).await?;
            (
                app::server::services::licences::keys::published(&conn).await?,
                app::server::services::licences::revocations(&conn).await?,
            )
        }
    };
    let verdict = licence::verify_text(&text, &keys, &revoked, today);
    println!("{}（{}）", verdict.message(), verdict.code());
    if let Ok(f) = licence::parse_file(&text) {
        println!(
            "证照编号 {} · {} · 持证者 {} · 发证部门 {} · 发证日期 {}",
            f.licence.number,
            f.licence.name,
            f.licence.holder.public().0,
            f.licence.department_name,
            f.licence.issued_on
        );
    }
    Ok(match verdict {
        licence::Verdict::Valid => std::process::ExitCode::SUCCESS,
        _ => std::process::ExitCode::from(1),
    })
}

async fn run(command: Command) -> anyhow::Result<std::process::ExitCode> {
    if let Command::VerifyLicence {
        file,
        keys,
        revocations,
        on,
    } = &command
    {
        return verify_licence(file, keys.as_deref(), revocations.as_deref(), on.as_deref()).await;
    }
    let config = Config::from_env()?;
    let conn = db::connect_with(&config.database_url, config.database_connections).await?;
    db::migrate(&conn).await?;
    match command {
        Command::Serve => {
            if config.load_demo && catalog::is_empty(&conn).await? {
                let summary = catalog::import_text(&conn, config::DEMO_CATALOG, "demo")
                    .await
                    .map_err(|e| {
                        anyhow::anyhow!("the shipped demo catalog failed to import: {e}")
                    })?;
                tracing::info!(
                    "loaded the demo catalog: {}",
                    summary.to_string().replace('\n', "; ")
                );
            }
            router::serve(config, conn).await?;
        }
        Command::Migrate => println!("数据库已是最新结构：{}", db::redact(&config.database_url)),
        Command::ImportCatalog { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("无法读取目录文件 {}", file.display()))?;
            match catalog::import_text(&conn, &text, &file.display().to_string()).await {
                Ok(summary) => {
                    print!("导入完成。\n{summary}");
                }
                Err(catalog::ImportError::Invalid(problems)) => {
                    eprintln!(
                        "目录文件 {} 有 {} 处问题，未导入任何内容：",
                        file.display(),
                        problems.len()
                    );
                    for p in &problems {
                        eprintln!("  {p}");
                    }
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(catalog::ImportError::Internal(err)) => return Err(err),
            }
        }
        Command::CreateStaff {
            login,
            name,
            role,
            department,
        } => {
            let password = std::env::var("ONEWINDOW_STAFF_PASSWORD")
                .context("请用环境变量 ONEWINDOW_STAFF_PASSWORD 提供初始密码")?;
            let form = app::server::services::staff::NewStaff {
                login,
                name,
                role,
                department,
                password,
            };
            match app::server::services::staff::create(&conn, &form, chrono::Utc::now()).await {
                Ok(me) => println!(
                    "已创建工作人员账号：{}（{}，{}，{}）",
                    me.login, me.name, me.role_label, me.department_name
                ),
                Err(app::server::services::accounts::AccountError::Invalid(problems)) => {
                    for p in problems {
                        eprintln!("  {}：{}", p.field, p.message);
                    }
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(e) => return Err(anyhow::anyhow!("{e}")),
            }
        }
        Command::ImportCalendar { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("无法读取日历文件 {}", file.display()))?;
            let form: app::domain::calendar::ArrangementForm = match serde_json::from_str(&text) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("日历文件 {} 不是有效的 JSON：{e}", file.display());
                    return Ok(std::process::ExitCode::from(2));
                }
            };
            match app::server::services::calendar::import(&conn, &form, chrono::Utc::now()).await {
                Ok(y) => println!(
                    "已导入 {} 年节假日安排：放假 {} 天，调休上班 {} 天（{}）",
                    y.year,
                    y.days_off.len(),
                    y.extra_working_days.len(),
                    y.source
                ),
                Err(app::server::services::calendar::CalendarError::Invalid(problems)) => {
                    eprintln!(
                        "日历文件 {} 有 {} 处问题，未导入：",
                        file.display(),
                        problems.len()
                    );
                    for p in problems {
                        eprintln!("  {}：{}", p.field, p.message);
                    }
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(e) => return Err(anyhow::anyhow!("{e}")),
            }
        }
        // Answered above, without the database when the keys are given.
        Command::VerifyLicence { .. } => {}
        Command::RotateLicenceKey { department } => {
            let known = catalog::department_names(&conn).await?;
            if !known.contains_key(&department) {
                anyhow::bail!("没有部门“{department}”");
            }
            let key_id = app::server::services::licences::keys::rotate(
                &conn,
                &department,
                chrono::Utc::now(),
            )
            .await?;
            println!(
                "已为 {department} 生成新的签名密钥 {key_id}；旧密钥已停用，仍可验证其签发的证照"
            );
        }
        Command::SeedBench {
            cases,
            open,
            per_applicant,
        } => {
            if catalog::is_empty(&conn).await? {
                catalog::import_text(&conn, config::DEMO_CATALOG, "demo")
                    .await
                    .map_err(|e| {
                        anyhow::anyhow!("the shipped demo catalog failed to import: {e}")
                    })?;
            }
            let plan = app::server::services::bench_data::Plan {
                cases,
                open: open.min(cases),
                per_applicant,
            };
            let started = std::time::Instant::now();
            let seeded =
                app::server::services::bench_data::seed(&conn, plan, chrono::Utc::now(), |n| {
                    if n % 50_000 == 0 || n == cases {
                        eprintln!(
                            "已写入 {n} / {cases} 件（{:.0} 秒）",
                            started.elapsed().as_secs_f64()
                        );
                    }
                })
                .await?;
            println!("{}", serde_json::to_string_pretty(&seeded)?);
        }
        Command::SweepMaterials { grace_seconds } => {
            let store = app::server::storage::MaterialStore::local(&config.data_dir)?;
            let before = chrono::Utc::now() - chrono::Duration::seconds(grace_seconds.max(0));
            let n = app::server::services::applications::sweep_unreferenced(&conn, &store, before)
                .await?;
            println!("已删除 {n} 个无引用的材料文件");
        }
        Command::ExportCatalog { file } => {
            let text = catalog::export(&conn).await?.to_json();
            if file.as_os_str() == "-" {
                print!("{text}");
            } else {
                std::fs::write(&file, text)
                    .with_context(|| format!("无法写入 {}", file.display()))?;
                eprintln!("已导出到 {}", file.display());
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// glibc raises its mmap threshold each time a large block is freed, and from then on keeps
/// blocks of that size in its per-thread arenas instead of giving them back: every argon2
/// check (19 MiB) and upload buffer then stays resident. Measured with scripts/load-failures
/// (600 parallel logins): +214 MiB at peak with the default, +44 MiB with the threshold fixed
/// at its initial 128 KiB, as here.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_blocks_to_the_system() {
    // SAFETY: mallopt only tunes the allocator; it takes the allocator's own locks.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks_to_the_system() {}
